/*
 * glue.c: the only file that includes libsolv headers. A narrow rp_* API for the TypeScript facade
 * (src/solver/). Handles are pointers passed as ints; variable-size results are written to one transfer
 * buffer (rp_out_ptr/rp_out_len) as tab-separated lines, so that a whole answer crosses the JS/wasm
 * boundary in one call instead of one call per field.
 *
 * Loops over many packages (installability of a repository, closure of a node's view) run here, in the
 * module, not as one call per package from JavaScript.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <emscripten.h>

/* The pool's complete layout (as libsolv itself is compiled): the hash and provider-index fields
   createwhatprovides_keephashes() saves are internal. */
#define LIBSOLV_INTERNAL 1
#include "pool.h"
#include "poolarch.h"
#include "repo.h"
#include "repo_solv.h"
#include "repo_write.h"
#include "solver.h"
#include "solverdebug.h"
#include "selection.h"
#include "transaction.h"
#include "evr.h"
#include "chksum.h"
#include "testcase.h"
#include "solv_xfopen.h"
#include "repo_rpmmd.h"
#include "repo_repomdxml.h"
#include "repo_updateinfoxml.h"
#include "repo_deltainfoxml.h"
#include "repo_comps.h"
#include "repo_rpmdb.h"

#include "repo_susetags.h"
#include "repo_helix.h"
#include "pool_parserpmrichdep.h"
#include "cplxdeps.h"
#include "bitmap.h"

#define RP_GLUE_VERSION 7

/* ---- transfer buffer ---------------------------------------------------------------------------- */

static char *out_buf;
static size_t out_len, out_cap;
static int live_pools, live_solvers;

EMSCRIPTEN_KEEPALIVE const char *rp_out_ptr(void) { return out_buf ? out_buf : ""; }
EMSCRIPTEN_KEEPALIVE int rp_out_len(void) { return (int)out_len; }
EMSCRIPTEN_KEEPALIVE void rp_out_reset(void) { out_len = 0; }
EMSCRIPTEN_KEEPALIVE int rp_glue_version(void) { return RP_GLUE_VERSION; }
EMSCRIPTEN_KEEPALIVE const char *rp_libsolv_version(void) { return solv_version; }
EMSCRIPTEN_KEEPALIVE int rp_live_objects(void) { return live_pools + live_solvers; }

static void out_append(const char *s, size_t n)
{
  if (out_len + n + 1 > out_cap)
    {
      size_t cap = out_cap ? out_cap : 65536;
      while (out_len + n + 1 > cap)
        cap *= 2;
      out_buf = solv_realloc(out_buf, cap);
      out_cap = cap;
    }
  memcpy(out_buf + out_len, s, n);
  out_len += n;
  out_buf[out_len] = 0;
}

static void out_str(const char *s) { if (s) out_append(s, strlen(s)); }

/*
 * A value in a record (a name, a dependency, a path, libsolv's own text, which quotes them): `\`, tab
 * and newline are written as `\\`, `\t` and `\n`, so a value from the input (`foo&#10;bar` in
 * primary.xml, a file name with a newline in an rpm header) can never end a field or a record. The
 * facade reads fields back through src/solver/wire.ts.
 */
static void out_valn(const char *s, size_t n)
{
  const char *run = s, *end = s + n;
  for (; s < end; s++)
    {
      const char *esc = *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : 0;
      if (!esc)
        continue;
      out_append(run, s - run);
      out_append(esc, 2);
      run = s + 1;
    }
  out_append(run, end - run);
}

static void out_val(const char *s) { if (s) out_valn(s, strlen(s)); }
static void out_tab(void) { out_append("\t", 1); }
static void out_nl(void) { out_append("\n", 1); }

static void out_int(long long v)
{
  char b[32];
  snprintf(b, sizeof(b), "%lld", v);
  out_str(b);
}

/* ---- pool and repos ------------------------------------------------------------------------------ */

/* Returns 0 when the pool cannot use rpm semantics: a build with another disttype must never be used. */
EMSCRIPTEN_KEEPALIVE Pool *rp_pool_create(const char *arch)
{
  Pool *pool = pool_create();
  if (pool_setdisttype(pool, DISTTYPE_RPM) < 0 || pool->disttype != DISTTYPE_RPM)
    {
      pool_free(pool);
      return 0;
    }
  pool_setarch(pool, arch);
  /* we want every error in pool_errstr, never on stderr */
  pool_setdebugmask(pool, SOLV_ERROR);
  pool_setdebuglevel(pool, 0);
  live_pools++;
  return pool;
}

EMSCRIPTEN_KEEPALIVE void rp_pool_free(Pool *pool)
{
  if (pool->considered)
    {
      map_free(pool->considered);
      pool->considered = solv_free(pool->considered);
    }
  pool_free(pool);
  live_pools--;
}

/* Changes the target arch (before rp_pool_prepare); strict limits it to the arch itself and noarch. */
EMSCRIPTEN_KEEPALIVE void rp_pool_setarch(Pool *pool, const char *arch, int strict)
{
  if (strict)
    {
      char policy[256];
      snprintf(policy, sizeof(policy), "%s:noarch", arch);
      pool_setarchpolicy(pool, policy);
    }
  else
    pool_setarch(pool, arch);
}

EMSCRIPTEN_KEEPALIVE int rp_pool_disttype(Pool *pool) { return pool->disttype; }
EMSCRIPTEN_KEEPALIVE const char *rp_pool_errstr(Pool *pool) { return pool_errstr(pool); }
EMSCRIPTEN_KEEPALIVE int rp_pool_nsolvables(Pool *pool) { return pool->nsolvables; }

/* "x86_64 i686 ... noarch": the arches this pool accepts, best first. */
EMSCRIPTEN_KEEPALIVE void rp_pool_arches(Pool *pool)
{
  Id a;
  out_len = 0;
  for (a = 1; a < pool->lastarch; a++)
    if (pool->id2arch[a])
      {
        if (out_len)
          out_tab();
        out_val(pool_id2str(pool, a));
      }
}

EMSCRIPTEN_KEEPALIVE Repo *rp_repo_create(Pool *pool, const char *name, int priority)
{
  Repo *repo = repo_create(pool, name);
  repo->priority = priority;
  return repo;
}

EMSCRIPTEN_KEEPALIVE void rp_repo_free(Repo *repo) { repo_free(repo, 1); }
EMSCRIPTEN_KEEPALIVE int rp_repo_nsolvables(Repo *repo) { return repo->nsolvables; }
EMSCRIPTEN_KEEPALIVE int rp_repo_start(Repo *repo) { return repo->start; }
EMSCRIPTEN_KEEPALIVE int rp_repo_end(Repo *repo) { return repo->end; }

enum { RP_FMT_RPMMD = 1, RP_FMT_FILELISTS, RP_FMT_UPDATEINFO, RP_FMT_SOLV, RP_FMT_TESTTAGS,
       RP_FMT_REPOMDXML, RP_FMT_SUSETAGS, RP_FMT_HELIX, RP_FMT_DELTAINFO, RP_FMT_COMPS, RP_FMT_RPM };

/*
 * Adds a .solv from memory. libsolv pages the vertical data of a seekable .solv (file lists, checksums)
 * in from a duplicate of its file descriptor, on demand; from a memory stream, which has no descriptor,
 * it reads everything at once. A pool then lives in wasm memory only, so that its memory image
 * (src/solver/image.ts) is the whole pool: a paged one restored elsewhere had lost its checksums.
 */
static int add_solv_unpaged(Repo *repo, FILE *fp, int flags)
{
  char *buf = 0;
  size_t len = 0, cap = 0, n;
  FILE *mf;
  int r;
  for (;;)
    {
      if (len == cap)
        buf = solv_realloc(buf, cap = cap ? cap * 2 : 65536);
      n = fread(buf + len, 1, cap - len, fp);
      if (!n)
        break;
      len += n;
    }
  /* an empty file cannot be a memory stream; libsolv says what is wrong with it */
  mf = len ? fmemopen(buf, len, "r") : 0;
  r = repo_add_solv(repo, mf ? mf : fp, flags);
  if (mf)
    fclose(mf);
  solv_free(buf);
  return r;
}

/*
 * Adds a file (in the in-memory FS; compression chosen by its name suffix, which the facade sets from
 * the content's magic bytes) to a repo. Returns 0 or -1 with pool_errstr set.
 */
EMSCRIPTEN_KEEPALIVE int rp_repo_add_file(Repo *repo, const char *path, int format, int flags)
{
  Pool *pool = repo->pool;
  FILE *fp;
  int r = -1;

  if (format == RP_FMT_RPM)
    {
      Id p = repo_add_rpm(repo, path, flags | REPO_NO_INTERNALIZE);
      return p ? 0 : -1;
    }
  fp = solv_xfopen(path, "r");
  if (!fp)
    return pool_error(pool, -1, "%s: cannot open", path);
  switch (format)
    {
    /* primary then filelists exactly as installcheck and libdnf add them: the filelists reader finds
       the packages it extends by their pkgid in the internalized primary data */
    case RP_FMT_RPMMD:
      r = repo_add_rpmmd(repo, fp, 0, flags);
      break;
    case RP_FMT_FILELISTS:
      r = repo_add_rpmmd(repo, fp, 0, flags | REPO_EXTEND_SOLVABLES | REPO_LOCALPOOL);
      break;
    case RP_FMT_UPDATEINFO:
      r = repo_add_updateinfoxml(repo, fp, flags | REPO_NO_INTERNALIZE);
      break;
    case RP_FMT_SOLV:
      r = add_solv_unpaged(repo, fp, flags);
      break;
    case RP_FMT_TESTTAGS:
      r = testcase_add_testtags(repo, fp, flags | REPO_NO_INTERNALIZE);
      break;
    case RP_FMT_REPOMDXML:
      r = repo_add_repomdxml(repo, fp, flags | REPO_NO_INTERNALIZE);
      break;
    case RP_FMT_SUSETAGS:
      r = repo_add_susetags(repo, fp, 0, 0, flags | REPO_NO_INTERNALIZE);
      break;
    case RP_FMT_HELIX:
      r = repo_add_helix(repo, fp, flags | REPO_NO_INTERNALIZE);
      break;
    case RP_FMT_DELTAINFO:
      r = repo_add_deltainfoxml(repo, fp, flags | REPO_NO_INTERNALIZE);
      break;
    case RP_FMT_COMPS:
      r = repo_add_comps(repo, fp, flags | REPO_NO_INTERNALIZE);
      break;
    default:
      pool_error(pool, -1, "unknown format %d", format);
    }
  /* a read error of the decompressor (truncated or corrupt stream) must not pass as a short file */
  if (ferror(fp) && r == 0)
    r = pool_error(pool, -1, "%s: read error (truncated or corrupt compressed data)", path);
  if (fclose(fp) != 0 && r == 0)
    r = pool_error(pool, -1, "%s: read error (truncated or corrupt compressed data)", path);
  return r;
}

EMSCRIPTEN_KEEPALIVE void rp_repo_internalize(Repo *repo) { repo_internalize(repo); }

/* The first n bytes of a (possibly compressed) file, decompressed, into the transfer buffer. */
EMSCRIPTEN_KEEPALIVE int rp_peek(const char *path, int n)
{
  char buf[8192];
  FILE *fp = solv_xfopen(path, "r");
  size_t got;
  out_len = 0;
  if (!fp)
    return -1;
  if (n > (int)sizeof(buf))
    n = sizeof(buf);
  got = fread(buf, 1, n, fp);
  out_append(buf, got);
  if (ferror(fp))
    {
      fclose(fp);
      return -2;
    }
  fclose(fp);
  return (int)got;
}

/*
 * Adds one installed package from an rpm header blob as rpm keeps it in rpmdb.sqlite (index count,
 * data size, entries, data: the header without its magic). libsolv's own header parser reads it, so the
 * package gets exactly the semantics libsolv gives an rpmdb entry.
 */
EMSCRIPTEN_KEEPALIVE int rp_repo_add_rpmheader(Repo *repo, const unsigned char *blob, int len, int flags)
{
  Pool *pool = repo->pool;
  unsigned char *buf;
  FILE *fp;
  void *state, *handle;
  Id p = 0;
  int total = 96 + 16 + 16 + len;

  if (len < 8)
    return pool_error(pool, -1, "rpm header blob too short (%d bytes)", len);
  buf = solv_calloc(total, 1);
  /* lead: magic, version 3.0, v5 header signature type */
  buf[0] = 0xed; buf[1] = 0xab; buf[2] = 0xee; buf[3] = 0xdb; buf[4] = 3;
  buf[78] = 0; buf[79] = 5;
  /* empty signature header */
  buf[96] = 0x8e; buf[97] = 0xad; buf[98] = 0xe8; buf[99] = 0x01;
  /* main header: magic, then the blob */
  buf[112] = 0x8e; buf[113] = 0xad; buf[114] = 0xe8; buf[115] = 0x01;
  memcpy(buf + 120, blob, len);
  fp = fmemopen(buf, total - 8, "r");
  if (!fp)
    {
      solv_free(buf);
      return pool_error(pool, -1, "fmemopen failed");
    }
  state = rpm_state_create(pool, 0);
  handle = rpm_byfp(state, fp, "rpmdb header");
  if (handle)
    p = repo_add_rpm_handle(repo, handle, flags | REPO_NO_INTERNALIZE);
  rpm_state_free(state);
  fclose(fp);
  solv_free(buf);
  return p ? p : -1;
}

EMSCRIPTEN_KEEPALIVE int rp_repo_write_solv(Repo *repo, const char *path)
{
  FILE *fp = fopen(path, "w");
  int r;
  if (!fp)
    return pool_error(repo->pool, -1, "%s: cannot write", path);
  r = repo_write(repo, fp);
  if (fclose(fp) != 0)
    r = -1;
  return r;
}

/*
 * pool_createwhatprovides frees the string and relation hashes ("XXX: should not be here!" in pool.c), so
 * the next pool_str2id or pool_rel2id (every dependency string a query parses, every repo name) rehashes
 * all of the pool's strings again: ~15 ms per provider index on CS9, paid by every node transaction. The
 * hashes only map strings to the ids they already have, and building the index adds no string or
 * relation, so they are kept across it (libsolv does the same in pool_add_fileconflicts_deps).
 */
static void createwhatprovides_keephashes(Pool *pool)
{
  Hashtable strtbl = pool->ss.stringhashtbl, reltbl = pool->relhashtbl;
  Hashval strmask = pool->ss.stringhashmask, relmask = pool->relhashmask;
  Id nstrings = pool->ss.nstrings, nrels = pool->nrels;
  pool->ss.stringhashtbl = 0;
  pool->ss.stringhashmask = 0;
  pool->relhashtbl = 0;
  pool->relhashmask = 0;
  pool_createwhatprovides(pool);
  if (pool->ss.stringhashtbl || pool->ss.nstrings != nstrings)
    solv_free(strtbl);	/* defensive: something rebuilt or outgrew them, keep libsolv's state */
  else
    {
      pool->ss.stringhashtbl = strtbl;
      pool->ss.stringhashmask = strmask;
    }
  if (pool->relhashtbl || pool->nrels != nrels)
    solv_free(reltbl);
  else
    {
      pool->relhashtbl = reltbl;
      pool->relhashmask = relmask;
    }
}

/* Must be called after all repos are added and before any query or solve. */
EMSCRIPTEN_KEEPALIVE void rp_pool_prepare(Pool *pool)
{
  int i;
  Repo *repo;
  FOR_REPOS(i, repo)
    repo_internalize(repo);
  pool_addfileprovides(pool);
  createwhatprovides_keephashes(pool);
}

/* Marks a repo as the system (installed) repo; 0 unsets it. */
EMSCRIPTEN_KEEPALIVE void rp_pool_set_installed(Pool *pool, Repo *repo) { pool_set_installed(pool, repo); }

/* ---- solvables ----------------------------------------------------------------------------------- */

static const char *str_or_empty(const char *s) { return s ? s : ""; }

static void out_deps(Pool *pool, Solvable *s, Id keyname, const char *tag, Id marker)
{
  Queue q;
  int i;
  queue_init(&q);
  solvable_lookup_deparray(s, keyname, &q, marker);
  for (i = 0; i < q.count; i++)
    {
      out_str(tag);
      out_tab();
      out_val(pool_dep2str(pool, q.elements[i]));
      out_nl();
    }
  queue_free(&q);
}

static int out_file_cb(void *cbdata, Solvable *s, Repodata *data, Repokey *key, KeyValue *kv)
{
  (void)cbdata; (void)s; (void)key;
  out_str("F\t");
  out_val(repodata_dir2str(data, kv->id, kv->str));
  out_nl();
  return 0;
}

/*
 * Describes solvable p: one header line
 *   name evr arch nevra repo vendor license sourcerpm location checksum downloadsize installsize buildtime
 * (installsize -1: absent)
 * then one line per dependency (P provides, R requires, Q pre-requires, C conflicts, O obsoletes,
 * M recommends, S suggests, U supplements, E enhances) and, when withfiles, F lines.
 */
EMSCRIPTEN_KEEPALIVE void rp_solvable_info(Pool *pool, Id p, int withfiles)
{
  Solvable *s = pool_id2solvable(pool, p);
  Id type = 0;
  const char *chk;
  const char *loc;
  unsigned int medianr;

  out_len = 0;
  out_val(pool_id2str(pool, s->name)); out_tab();
  out_val(pool_id2str(pool, s->evr)); out_tab();
  out_val(pool_id2str(pool, s->arch)); out_tab();
  out_val(pool_solvable2str(pool, s)); out_tab();
  out_val(s->repo ? s->repo->name : ""); out_tab();
  out_val(str_or_empty(solvable_lookup_str(s, SOLVABLE_VENDOR))); out_tab();
  out_val(str_or_empty(solvable_lookup_str(s, SOLVABLE_LICENSE))); out_tab();
  out_val(str_or_empty(solvable_lookup_sourcepkg(s))); out_tab();
  loc = solvable_get_location(s, &medianr);
  out_val(str_or_empty(loc)); out_tab();
  chk = solvable_lookup_checksum(s, SOLVABLE_CHECKSUM, &type);
  if (chk)
    {
      out_str(solv_chksum_type2str(type));
      out_append(":", 1);
      out_str(chk);
    }
  else
    {
      chk = solvable_lookup_checksum(s, SOLVABLE_HDRID, &type);
      if (chk)
        {
          out_str("hdrid:");
          out_str(chk);
        }
    }
  out_tab();
  out_int((long long)solvable_lookup_num(s, SOLVABLE_DOWNLOADSIZE, 0)); out_tab();
  /* -1 when the metadata gives no installed size: an unknown size must not pass for 0 bytes */
  out_int((long long)solvable_lookup_num(s, SOLVABLE_INSTALLSIZE, (unsigned long long)-1)); out_tab();
  out_int((long long)solvable_lookup_num(s, SOLVABLE_BUILDTIME, 0));
  out_nl();
  out_deps(pool, s, SOLVABLE_PROVIDES, "P", -SOLVABLE_FILEMARKER);
  out_deps(pool, s, SOLVABLE_REQUIRES, "R", -SOLVABLE_PREREQMARKER);
  out_deps(pool, s, SOLVABLE_REQUIRES, "Q", SOLVABLE_PREREQMARKER);
  out_deps(pool, s, SOLVABLE_CONFLICTS, "C", 0);
  out_deps(pool, s, SOLVABLE_OBSOLETES, "O", 0);
  out_deps(pool, s, SOLVABLE_RECOMMENDS, "M", 0);
  out_deps(pool, s, SOLVABLE_SUGGESTS, "S", 0);
  out_deps(pool, s, SOLVABLE_SUPPLEMENTS, "U", 0);
  out_deps(pool, s, SOLVABLE_ENHANCES, "E", 0);
  if (withfiles)
    repo_search(s->repo, p, SOLVABLE_FILELIST, 0, SEARCH_FILES | SEARCH_COMPLETE_FILELIST, out_file_cb, 0);
}

static int out_path_cb(void *cbdata, Solvable *s, Repodata *data, Repokey *key, KeyValue *kv)
{
  (void)cbdata; (void)s; (void)key;
  out_val(repodata_dir2str(data, kv->id, kv->str));
  out_nl();
  return 0;
}

/*
 * The file list of solvable p alone, one path a line: what RP005 and the hoist planner read for every
 * package of a family. rp_solvable_info with files also formats every dependency, which they do not use
 * (three quarters of the time a 6-node lock spent reading file lists).
 */
EMSCRIPTEN_KEEPALIVE void rp_solvable_files(Pool *pool, Id p)
{
  Solvable *s = pool_id2solvable(pool, p);
  out_len = 0;
  if (s->repo)
    repo_search(s->repo, p, SOLVABLE_FILELIST, 0, SEARCH_FILES | SEARCH_COMPLETE_FILELIST, out_path_cb, 0);
}

/* ---- shared paths (RP005, the hoist planner) ------------------------------------------------------- */

typedef struct {
  Stringpool paths;   /* every path of the packages, interned */
  Queue owner;        /* pairs (path id, package), one per distinct pair, in the order of the packages */
  Id *last;           /* by path id: the last package seen shipping it */
  int *owners;        /* by path id: how many distinct packages ship it */
  int cap;
  Id current;
} SharedScan;

static int shared_path_cb(void *cbdata, Solvable *s, Repodata *data, Repokey *key, KeyValue *kv)
{
  SharedScan *sc = cbdata;
  const char *path = repodata_dir2str(data, kv->id, kv->str);
  Id pid = stringpool_str2id(&sc->paths, path, 1);
  (void)s; (void)key;
  if (pid >= sc->cap)
    {
      int cap = sc->cap, ncap = sc->cap ? sc->cap : 4096;
      while (pid >= ncap)
        ncap *= 2;
      sc->last = solv_realloc2(sc->last, ncap, sizeof(Id));
      sc->owners = solv_realloc2(sc->owners, ncap, sizeof(int));
      memset(sc->last + cap, 0, (ncap - cap) * sizeof(Id));
      memset(sc->owners + cap, 0, (ncap - cap) * sizeof(int));
      sc->cap = ncap;
    }
  if (sc->last[pid] != sc->current)
    {
      sc->last[pid] = sc->current;
      sc->owners[pid]++;
      queue_push2(&sc->owner, pid, sc->current);
    }
  return 0;
}

/*
 * Writes `tag <tab> path <tab> ids` for each path of `pairs` (path id, package), the packages of a path
 * in the order of the pairs; with `owners`, only the paths two or more packages ship. Paths in id order
 * (the order they were first met). Returns the number of lines.
 */
static int out_path_groups(const char *tag, Stringpool *paths, Queue *pairs, const int *owners)
{
  int npaths = paths->nstrings, lines = 0, k;
  int *start = solv_calloc(npaths + 1, sizeof(int));
  int *fill;
  Id *list, pid;
  for (k = 0; k < pairs->count; k += 2)
    if (!owners || owners[pairs->elements[k]] >= 2)
      start[pairs->elements[k] + 1]++;
  for (pid = 1; pid <= npaths; pid++)
    start[pid] += start[pid - 1];
  list = solv_calloc(start[npaths] ? start[npaths] : 1, sizeof(Id));
  fill = solv_memdup2(start, npaths + 1, sizeof(int));
  for (k = 0; k < pairs->count; k += 2)
    if (!owners || owners[pairs->elements[k]] >= 2)
      list[fill[pairs->elements[k]]++] = pairs->elements[k + 1];
  for (pid = 2; pid < npaths; pid++)
    {
      if (start[pid + 1] == start[pid])
        continue;
      lines++;
      out_str(tag);
      out_tab();
      out_val(stringpool_id2str(paths, pid));
      out_tab();
      for (k = start[pid]; k < start[pid + 1]; k++)
        {
          if (k > start[pid])
            out_append(" ", 1);
          out_int(list[k]);
        }
      out_nl();
    }
  solv_free(start);
  solv_free(fill);
  solv_free(list);
  return lines;
}

/*
 * The paths that two or more of the packages ids[0..n) ship, which is all RP005 and the hoist planner
 * ask of the packages' file lists (a family's packages ship ~100k paths; a handful are shared):
 *   S <tab> path <tab> owners      one line per shared path, in the order paths are first met, owners
 *                                  (space-separated ids) in the order of ids
 *   B <tab> path <tab> ids         for a shared path, the packages that ship something below it (then
 *                                  it is a directory in a view holding one of them), in the order of ids
 * Returns the number of S lines. The same answer as src/engine/checks/shared-paths.ts computes from the
 * file lists, without sending every path to JavaScript.
 */
EMSCRIPTEN_KEEPALIVE int rp_shared_paths(Pool *pool, const Id *ids, int n)
{
  SharedScan sc;
  Queue below;
  Id *lastbelow;
  int i, k, nshared = 0;
  memset(&sc, 0, sizeof(sc));
  stringpool_init_empty(&sc.paths);
  queue_init(&sc.owner);
  queue_init(&below);
  out_len = 0;
  for (i = 0; i < n; i++)
    {
      Solvable *s = pool_id2solvable(pool, ids[i]);
      if (!s->repo)
        continue;
      sc.current = ids[i];
      repo_search(s->repo, ids[i], SOLVABLE_FILELIST, 0, SEARCH_FILES | SEARCH_COMPLETE_FILELIST, shared_path_cb, &sc);
    }
  /*
   * below: every proper ancestor of every path, looked up among the shared paths (never interned). A
   * package lists its files directory by directory: the shared ancestors of the previous path's
   * directory are reused while the directory stays the same.
   */
  lastbelow = solv_calloc(sc.cap ? sc.cap : 1, sizeof(Id));
  {
    const char *prevdir = 0;
    size_t prevlen = 0;
    Queue hits;
    queue_init(&hits);
    for (k = 0; k < sc.owner.count; k += 2)
      {
        const char *path = stringpool_id2str(&sc.paths, sc.owner.elements[k]);
        Id pkg = sc.owner.elements[k + 1];
        const char *slash = strrchr(path, '/');
        size_t dirlen = slash ? (size_t)(slash - path) : 0;
        int h;
        if (!prevdir || dirlen != prevlen || memcmp(path, prevdir, dirlen) != 0)
          {
            queue_empty(&hits);
            while (slash && slash > path)
              {
                Id dir = stringpool_strn2id(&sc.paths, path, (unsigned int)(slash - path), 0);
                if (dir > 1 && dir < sc.cap && sc.owners[dir] >= 2)
                  queue_push(&hits, dir);
                do
                  slash--;
                while (slash > path && *slash != '/');
              }
            prevdir = path;
            prevlen = dirlen;
          }
        for (h = 0; h < hits.count; h++)
          if (lastbelow[hits.elements[h]] != pkg)
            {
              lastbelow[hits.elements[h]] = pkg;
              queue_push2(&below, hits.elements[h], pkg);
            }
      }
    queue_free(&hits);
  }
  nshared = out_path_groups("S", &sc.paths, &sc.owner, sc.owners);
  out_path_groups("B", &sc.paths, &below, 0);
  solv_free(lastbelow);
  solv_free(sc.last);
  solv_free(sc.owners);
  queue_free(&sc.owner);
  queue_free(&below);
  stringpool_free(&sc.paths);
  return nshared;
}

/* One line per solvable of the repo range [start,end): id, name, arch, evr (compact listing). */
EMSCRIPTEN_KEEPALIVE void rp_list(Pool *pool, int start, int end)
{
  Id p;
  out_len = 0;
  for (p = start; p < end && p < pool->nsolvables; p++)
    {
      Solvable *s = pool->solvables + p;
      if (!s->repo)
        continue;
      out_int(p); out_tab();
      out_val(pool_id2str(pool, s->name)); out_tab();
      out_val(pool_id2str(pool, s->evr)); out_tab();
      out_val(pool_id2str(pool, s->arch)); out_tab();
      out_val(s->repo->name); out_tab();
      out_int(pool_installable(pool, s) ? 1 : 0); out_tab();
      out_int((long long)solvable_lookup_num(s, SOLVABLE_INSTALLSIZE, (unsigned long long)-1));
      out_nl();
    }
}

/* Dependency string (rpm syntax, rich deps included) -> providers, as lines of ids. -1 if unparsable. */
static Id str2dep(Pool *pool, const char *dep)
{
  /* rpm's rich syntax "(a or b)"; testcase_str2dep handles plain and versioned dependencies */
  while (*dep == ' ')
    dep++;
  if (*dep == '(')
    return pool_parserpmrichdep(pool, dep);
  return testcase_str2dep(pool, dep);
}

EMSCRIPTEN_KEEPALIVE int rp_whatprovides(Pool *pool, const char *dep)
{
  Id id = str2dep(pool, dep);
  Id p, pp;
  int n = 0;
  out_len = 0;
  if (!id)
    return -1;
  FOR_PROVIDES(p, pp, id)
    {
      out_int(p);
      out_nl();
      n++;
    }
  return n;
}

/* selection_make + selection_solvables: matching solvable ids, one per line. */
EMSCRIPTEN_KEEPALIVE int rp_select(Pool *pool, const char *str, int flags)
{
  Queue sel, q;
  int i, n;
  queue_init(&sel);
  queue_init(&q);
  selection_make(pool, &sel, str, flags);
  selection_solvables(pool, &sel, &q);
  out_len = 0;
  for (i = 0; i < q.count; i++)
    {
      out_int(q.elements[i]);
      out_nl();
    }
  n = q.count;
  queue_free(&q);
  queue_free(&sel);
  return n;
}

EMSCRIPTEN_KEEPALIVE int rp_evrcmp(Pool *pool, const char *a, const char *b)
{
  return pool_evrcmp_str(pool, a, b, EVRCMP_COMPARE);
}

/* Restricts what the solver may consider to the given solvables (a node's view); n == 0 lifts it. */
EMSCRIPTEN_KEEPALIVE void rp_pool_set_considered(Pool *pool, const Id *ids, int n)
{
  int i;
  if (!n)
    {
      if (pool->considered)
        {
          map_free(pool->considered);
          pool->considered = solv_free(pool->considered);
        }
      return;
    }
  if (!pool->considered)
    {
      pool->considered = solv_calloc(1, sizeof(Map));
      map_init(pool->considered, pool->nsolvables);
    }
  else
    map_empty(pool->considered);
  for (i = 0; i < n; i++)
    MAPSET(pool->considered, ids[i]);
}

/* ---- problems ------------------------------------------------------------------------------------ */

/* One rule info line (`I ...`), then for a versioned "nothing provides" its "(we have X)" hints. */
static void out_rule_info(Solver *solv, Id type, Id source, Id target, Id dep)
{
  Pool *pool = solv->pool;
  out_str("I\t");
  out_int(type); out_tab();
  out_int(source); out_tab();
  out_int(target); out_tab();
  out_int(dep); out_tab();
  out_val(dep ? pool_dep2str(pool, dep) : ""); out_tab();
  out_val(solver_problemruleinfo2str(solv, type, source, target, dep));
  out_nl();
  if (type == SOLVER_RULE_PKG_NOTHING_PROVIDES_DEP && ISRELDEP(dep))
    {
      Reldep *rd = GETRELDEP(pool, dep);
      if (!ISRELDEP(rd->name))
        {
          Id rp, rpp;
          FOR_PROVIDES(rp, rpp, rd->name)
            {
              out_str("H\t");
              out_int(rp);
              out_nl();
            }
        }
    }
}

/*
 * Every rule of every problem (solver_findallproblemrules, then every info of each rule):
 *   X <problem>                                    starts a problem
 *   I <type> <source> <target> <dep> <depstr> <text>   one rule info, text as libsolv words it
 *   H <solvable>                                   "(we have X)" hint for the preceding info
 */
static void out_problems(Solver *solv, int pcnt)
{
  Queue rids, rinfo;
  Id problem;
  int j, k;

  queue_init(&rids);
  queue_init(&rinfo);
  for (problem = 1; problem <= pcnt; problem++)
    {
      out_str("X\t");
      out_int(problem);
      out_nl();
      solver_findallproblemrules(solv, problem, &rids);
      for (j = 0; j < rids.count; j++)
        {
          queue_empty(&rinfo);
          solver_allruleinfos(solv, rids.elements[j], &rinfo);
          for (k = 0; k < rinfo.count; k += 4)
            {
              Id type = rinfo.elements[k], source = rinfo.elements[k + 1];
              Id target = rinfo.elements[k + 2], dep = rinfo.elements[k + 3];
              out_rule_info(solv, type, source, target, dep);
            }
        }
    }
  queue_free(&rinfo);
  queue_free(&rids);
}

#define RP_SOLVE_IGNORE_RECOMMENDED 1
#define RP_SOLVE_NO_TRANSACTION 2	/* only the problems: no transaction is built, ordered or written */

/*
 * Solves a job (pairs how/what, as libsolv's Queue) and writes its problems, or, when solvable, its
 * transaction as lines `T <type> <solvable> <other>` (nothing with RP_SOLVE_NO_TRANSACTION: a caller that
 * only asks "can all of this go in together" skips transaction_order, which costs more than the solve
 * on a node's whole view). Returns the problem count.
 */
EMSCRIPTEN_KEEPALIVE int rp_solve(Pool *pool, const Id *jobs, int njobs, int flags)
{
  int ignore_recommended = flags & RP_SOLVE_IGNORE_RECOMMENDED;
  Solver *solv = solver_create(pool);
  Queue job;
  int i, pcnt;
  live_solvers++;
  queue_init(&job);
  for (i = 0; i < njobs; i++)
    queue_push(&job, jobs[i]);
  solver_set_flag(solv, SOLVER_FLAG_IGNORE_RECOMMENDED, ignore_recommended);
  pcnt = solver_solve(solv, &job);
  out_len = 0;
  if (pcnt)
    out_problems(solv, pcnt);
  else if (!(flags & RP_SOLVE_NO_TRANSACTION))
    {
      Transaction *trans = solver_create_transaction(solv);
      transaction_order(trans, 0);
      for (i = 0; i < trans->steps.count; i++)
        {
          Id p = trans->steps.elements[i];
          Id type = transaction_type(trans, p, SOLVER_TRANSACTION_SHOW_ACTIVE | SOLVER_TRANSACTION_SHOW_ALL |
                                                   SOLVER_TRANSACTION_SHOW_OBSOLETES | SOLVER_TRANSACTION_CHANGE_IS_REINSTALL);
          Id other = transaction_obs_pkg(trans, p);
          out_str("T\t");
          out_int(type); out_tab();
          out_int(p); out_tab();
          out_int(other);
          out_nl();
        }
      transaction_free(trans);
    }
  queue_free(&job);
  solver_free(solv);
  live_solvers--;
  return pcnt;
}

/* ---- installability ------------------------------------------------------------------------------ */

#define RP_IC_DERIVE 1	/* explain requirement-blocked packages by derivation instead of a solve each */
#define RP_IC_TRIAGE 2	/* only sort the candidates: `B <p>` blocked, `S <p>` left by pruning; no solving */
#define RP_IC_SOLVE_EACH 4	/* no shortcut: solve every candidate on its own (already triaged ones) */

/* Can p be part of a solution at all: in the view (pool->considered) and of an installable arch. */
static int in_view(Pool *pool, Id p)
{
  Solvable *s = pool->solvables + p;
  return s->repo && (!pool->considered || MAPTST(pool->considered, p)) && pool_installable(pool, s);
}

/*
 * A plain (or versioned) requirement other than rpmlib(): rich dependencies are evaluated by the solver
 * alone, rpmlib() ones are satisfied by rpm itself.
 */
static int is_plain_requirement(Pool *pool, Id req)
{
  if (req == SOLVABLE_PREREQMARKER)
    return 0;
  if (ISRELDEP(req))
    {
      Reldep *rd = GETRELDEP(pool, req);
      if (rd->flags >= 8 && rd->flags != REL_ARCH)	/* REL_AND, REL_OR, REL_WITH, ... */
        return 0;
    }
  return strncmp(pool_id2str(pool, ISRELDEP(req) ? GETRELDEP(pool, req)->name : req), "rpmlib(", 7) != 0;
}

/* Whether some package of the view outside `bad` (bad == 0: any package of the view) provides req. */
static int provided_outside(Pool *pool, Id req, const Map *bad)
{
  Id q, qq;
  FOR_PROVIDES(q, qq, req)
    if (q == SYSTEMSOLVABLE || (in_view(pool, q) && !(bad && MAPTST(bad, q))))
      return 1;
  return 0;
}

/* The first plain requirement of p that no package of the view outside `bad` provides, or 0. */
static Id blocked_requirement(Pool *pool, Id p, const Map *bad)
{
  Solvable *s = pool->solvables + p;
  Id req, *reqp;
  if (!s->requires)
    return 0;
  for (reqp = s->repo->idarraydata + s->requires; (req = *reqp) != 0; reqp++)
    if (is_plain_requirement(pool, req) && !provided_outside(pool, req, bad))
      return req;
  return 0;
}

/*
 * Packages proven uninstallable without solving, by a plain requirement. Level 1: a requirement nothing in
 * the view provides. Level k: a requirement all of whose providers are of a level below k. Sound whatever
 * else the solver would do (a solution must hold a provider of each requirement), so these never need a
 * solve to be known. Levels are computed round by round against the previous rounds only, so they do not
 * depend on solvable ids (which differ between a pool read from rpm-md and one read from .solv), and
 * every chain of blocking requirements ends at level 1.
 */
typedef struct {
  Map bad;
  int *level;	/* the level of a blocked package, 0 for the others */
} Blocked;

static void blocked_init(Pool *pool, Blocked *b)
{
  Queue open, found;
  Id p;
  int i, j, round;
  map_init(&b->bad, pool->nsolvables);
  b->level = solv_calloc(pool->nsolvables, sizeof(int));
  queue_init(&open);
  queue_init(&found);
  for (p = 2; p < pool->nsolvables; p++)
    if (in_view(pool, p))
      queue_push(&open, p);
  for (round = 1; open.count; round++)
    {
      queue_empty(&found);
      for (i = j = 0; i < open.count; i++)
        {
          p = open.elements[i];
          if (blocked_requirement(pool, p, round == 1 ? 0 : &b->bad))
            queue_push(&found, p);
          else
            open.elements[j++] = p;
        }
      open.count = j;
      if (!found.count)
        break;
      for (i = 0; i < found.count; i++)
        {
          MAPSET(&b->bad, found.elements[i]);
          b->level[found.elements[i]] = round;
        }
    }
  queue_free(&open);
  queue_free(&found);
}

/*
 * Why a blocked package of level > 0 is blocked: of its requirements whose providers are all of a lower
 * level, the first by text (a choice independent of solvable ids and of the order requirements are stored).
 */
static Id blocking_requirement(Pool *pool, const Blocked *b, Id p)
{
  Solvable *s = pool->solvables + p;
  Id req, *reqp, best = 0;
  const char *bests = 0;
  for (reqp = s->repo->idarraydata + s->requires; (req = *reqp) != 0; reqp++)
    {
      Id q, qq;
      int ok = 1;
      if (!is_plain_requirement(pool, req))
        continue;
      FOR_PROVIDES(q, qq, req)
        if (q == SYSTEMSOLVABLE || (in_view(pool, q) && (!b->level[q] || b->level[q] >= b->level[p])))
          {
            ok = 0;
            break;
          }
      if (!ok)
        continue;
      if (!best || strcmp(pool_dep2str(pool, req), bests) < 0)
        {
          solv_free((char *)bests);
          best = req;
          bests = solv_strdup(pool_dep2str(pool, req));
        }
    }
  solv_free((char *)bests);
  return best;
}

static void blocked_free(Blocked *b)
{
  map_free(&b->bad);
  b->level = solv_free(b->level);
}

/*
 * The derived explanation of a blocked package, as one problem in out_problems' format: from the package
 * down to the root causes, each package's blocking requirement ("requires X, but none of the providers can
 * be installed") and, at the roots, every requirement nothing provides. Each rule is one libsolv would give,
 * in its words; where a package is blocked for several reasons, one per package is followed.
 */
static void out_derived_problem(Solver *solv, const Blocked *b, Id top, Map *seen)
{
  Pool *pool = solv->pool;
  Queue todo, visited;
  queue_init(&todo);
  queue_init(&visited);
  queue_push(&todo, top);
  queue_push(&visited, top);
  MAPSET(seen, top);
  out_str("X\t1\n");
  while (todo.count)
    {
      Id p = queue_shift(&todo);
      Solvable *s = pool->solvables + p;
      if (b->level[p] == 1)
        {
          Id req, *reqp;
          for (reqp = s->repo->idarraydata + s->requires; (req = *reqp) != 0; reqp++)
            if (is_plain_requirement(pool, req) && !provided_outside(pool, req, 0))
              out_rule_info(solv, SOLVER_RULE_PKG_NOTHING_PROVIDES_DEP, p, 0, req);
        }
      else
        {
          Id q, qq, why = blocking_requirement(pool, b, p);
          if (!why)
            continue;
          out_rule_info(solv, SOLVER_RULE_PKG_REQUIRES, p, 0, why);
          FOR_PROVIDES(q, qq, why)
            if (in_view(pool, q) && !MAPTST(seen, q))
              {
                MAPSET(seen, q);
                queue_push(&visited, q);
                queue_push(&todo, q);
              }
        }
    }
  while (visited.count)
    {
      Id p = queue_pop(&visited);	/* not inside MAPCLR: the macro evaluates its argument twice */
      MAPCLR(seen, p);
    }
  queue_free(&todo);
  queue_free(&visited);
}

static int cmp_name_evr_desc(const void *ap, const void *bp, void *dp)
{
  Pool *pool = dp;
  Id a = *(const Id *)ap, b = *(const Id *)bp;
  Solvable *sa = pool->solvables + a, *sb = pool->solvables + b;
  int r;
  if (sa->name != sb->name)
    return sa->name < sb->name ? -1 : 1;
  r = pool_evrcmp(pool, sb->evr, sa->evr, EVRCMP_COMPARE);
  return r ? r : a - b;
}

/*
 * installcheck's weak-install pruning: whatever a solve installs is installable, since a solution holds
 * every requirement of every package in it. Done in layers, the highest version of each name first, then
 * the next: in one solve every version of a name competes for the single slot rpm gives a name, and on
 * repositories with many versions per name installcheck spends most of its time re-solving for that.
 * Leaves in `suspects` the candidates no solve installed.
 */
static void prune_installable(Solver *solv, Queue *suspects, Id rpmrel)
{
  Pool *pool = solv->pool;
  Queue sorted, layer, job;
  Map proven;
  int *rank, maxrank = 0, r, i, j;
  Id p;

  queue_init_clone(&sorted, suspects);
  solv_sort(sorted.elements, sorted.count, sizeof(Id), cmp_name_evr_desc, pool);
  rank = solv_calloc(pool->nsolvables, sizeof(int));
  for (i = 1; i < sorted.count; i++)
    {
      Id prev = sorted.elements[i - 1];
      p = sorted.elements[i];
      if (pool->solvables[prev].name == pool->solvables[p].name)
        rank[p] = rank[prev] + 1;
      if (rank[p] > maxrank)
        maxrank = rank[p];
    }
  map_init(&proven, pool->nsolvables);
  queue_init(&layer);
  queue_init(&job);
  for (r = 0; r <= maxrank; r++)
    {
      queue_empty(&layer);
      for (i = 0; i < suspects->count; i++)
        if (rank[suspects->elements[i]] == r && !MAPTST(&proven, suspects->elements[i]))
          queue_push(&layer, suspects->elements[i]);
      while (layer.count)
        {
          queue_empty(&job);
          for (i = 0; i < layer.count; i++)
            queue_push2(&job, SOLVER_INSTALL | SOLVER_SOLVABLE | SOLVER_WEAK, layer.elements[i]);
          if (rpmrel)
            queue_push2(&job, SOLVER_INSTALL | SOLVER_SOLVABLE_NAME, rpmrel);
          solver_set_flag(solv, SOLVER_FLAG_IGNORE_RECOMMENDED, 1);
          solver_solve(solv, &job);
          for (p = 2; p < pool->nsolvables; p++)
            if (solver_get_decisionlevel(solv, p) > 0)
              MAPSET(&proven, p);
          for (i = j = 0; i < layer.count; i++)
            if (!MAPTST(&proven, layer.elements[i]))
              layer.elements[j++] = layer.elements[i];
          if (i == j)
            break;
          layer.count = j;
        }
    }
  for (i = j = 0; i < suspects->count; i++)
    if (!MAPTST(&proven, suspects->elements[i]))
      suspects->elements[j++] = suspects->elements[i];
  suspects->count = j;
  map_free(&proven);
  solv_free(rank);
  queue_free(&layer);
  queue_free(&job);
  queue_free(&sorted);
}

/*
 * installcheck (tools/installcheck.c) over the candidates given, with the same verdicts, sooner:
 *  1. packages blocked by a plain requirement (see blocked_init) are known uninstallable without solving;
 *  2. the others go through installcheck's weak-install pruning, in layers (prune_installable);
 *  3. what is left is solved one package at a time, as installcheck does.
 * Blocked candidates get libsolv's own problems from a solve each, or with RP_IC_DERIVE (and no installed
 * system, where keeping a broken installed package is allowed) their derived explanation instead.
 * Writes, in candidate order, `U <p>` followed by its problems for each package that cannot be installed.
 * The "rpm" install job that installcheck adds when an rpm package of the pool arch exists is reproduced,
 * so that the sets are the same. Returns the number of uninstallable packages.
 * For spreading the solves over threads: RP_IC_TRIAGE stops after steps 1 and 2 and lists the blocked
 * (`B <p>`) and remaining (`S <p>`) candidates (returns their number); RP_IC_SOLVE_EACH then does step 3
 * alone for the candidates given.
 */
EMSCRIPTEN_KEEPALIVE int rp_installcheck(Pool *pool, const Id *cands, int ncands, const char *arch, int flags)
{
  Solver *solv;
  Blocked blocked;
  Queue job, suspects;
  Map suspect, seen;
  Id p, archid, rpmid, rpmrel = 0;
  int i, bad = 0, derive = (flags & RP_IC_DERIVE) && !pool->installed;

  archid = pool_str2id(pool, arch, 0);
  rpmid = pool_str2id(pool, "rpm", 0);
  if (rpmid && archid)
    {
      for (p = 1; p < pool->nsolvables; p++)
        {
          Solvable *s = pool->solvables + p;
          if (s->name == rpmid && s->arch == archid && pool_installable(pool, s))
            break;
        }
      if (p < pool->nsolvables)
        rpmrel = pool_rel2id(pool, rpmid, archid, REL_ARCH, 1);
    }
  if (flags & RP_IC_SOLVE_EACH)
    {
      map_init(&blocked.bad, pool->nsolvables);	/* nothing blocked: every candidate gets its solve */
      blocked.level = 0;
    }
  else
    blocked_init(pool, &blocked);
  queue_init(&job);
  queue_init(&suspects);
  for (i = 0; i < ncands; i++)
    if (!MAPTST(&blocked.bad, cands[i]))
      queue_push(&suspects, cands[i]);
  solv = solver_create(pool);
  live_solvers++;
  if (!(flags & RP_IC_SOLVE_EACH))
    prune_installable(solv, &suspects, rpmrel);
  map_init(&suspect, pool->nsolvables);
  for (i = 0; i < suspects.count; i++)
    MAPSET(&suspect, suspects.elements[i]);
  map_init(&seen, pool->nsolvables);
  out_len = 0;
  for (i = 0; i < ncands && (flags & RP_IC_TRIAGE); i++)
    {
      p = cands[i];
      if (MAPTST(&blocked.bad, p) || MAPTST(&suspect, p))
        {
          out_str(MAPTST(&blocked.bad, p) ? "B\t" : "S\t");
          out_int(p);
          out_nl();
          bad++;
        }
    }
  for (i = 0; i < ncands && !(flags & RP_IC_TRIAGE); i++)
    {
      int pcnt;
      p = cands[i];
      if (MAPTST(&blocked.bad, p) && derive)
        {
          bad++;
          out_str("U\t");
          out_int(p);
          out_nl();
          out_derived_problem(solv, &blocked, p, &seen);
          continue;
        }
      if (!MAPTST(&blocked.bad, p) && !MAPTST(&suspect, p))
        continue;
      queue_empty(&job);
      queue_push2(&job, SOLVER_INSTALL | SOLVER_SOLVABLE, p);
      if (rpmrel)
        queue_push2(&job, SOLVER_INSTALL | SOLVER_SOLVABLE_NAME, rpmrel);
      solver_set_flag(solv, SOLVER_FLAG_IGNORE_RECOMMENDED, 1);
      pcnt = solver_solve(solv, &job);
      if (pcnt)
        {
          bad++;
          out_str("U\t");
          out_int(p);
          out_nl();
          out_problems(solv, pcnt);
        }
    }
  solver_free(solv);
  live_solvers--;
  map_free(&seen);
  map_free(&suspect);
  blocked_free(&blocked);
  queue_free(&suspects);
  queue_free(&job);
  return bad;
}

/* installcheck's candidate filter: installable, and not of another arch when the pool arch has the name. */
EMSCRIPTEN_KEEPALIVE int rp_installcheck_candidates(Pool *pool, int start, int end, const char *arch)
{
  Id p, archid = pool_str2id(pool, arch, 0);
  Id noarchid = pool->solvables[SYSTEMSOLVABLE].arch;
  int n = 0;
  out_len = 0;
  for (p = start; p < end && p < pool->nsolvables; p++)
    {
      Solvable *s = pool->solvables + p;
      if (!s->repo || !pool_installable(pool, s))
        continue;
      if (archid && s->arch != archid && s->arch != noarchid)
        {
          Id rp, rpp;
          FOR_PROVIDES(rp, rpp, s->name)
            {
              if (pool->solvables[rp].name != s->name)
                continue;
              if (pool->solvables[rp].arch == archid)
                break;
            }
          if (rp)
            continue;
        }
      out_int(p);
      out_nl();
      n++;
    }
  return n;
}

/* ---- updates ------------------------------------------------------------------------------------- */

/*
 * Copies solvables (name, evr, arch, vendor and every dependency array as stored, file provides added by
 * pool_addfileprovides included) into repo, in order: the copy of ids[i] gets id start + i. Used to build
 * a node's installed system from repository packages. Returns the id of the first copy (0 when n == 0).
 */
EMSCRIPTEN_KEEPALIVE int rp_repo_add_copies(Repo *repo, const Id *ids, int n)
{
  Pool *pool = repo->pool;
  Id first = 0;
  int i;
  for (i = 0; i < n; i++)
    {
      Solvable *s = pool_id2solvable(pool, ids[i]);
      Repo *from = s->repo;
      Id p = repo_add_solvable(repo);
      Solvable *ns = pool_id2solvable(pool, p); /* after the add: the solvable array may have moved */
      Id *dp;
      s = pool_id2solvable(pool, ids[i]);
      if (!first)
        first = p;
      ns->name = s->name;
      ns->evr = s->evr;
      ns->arch = s->arch;
      ns->vendor = s->vendor;
      /* repo_addid may reallocate this repo's idarraydata, never the source repo's (copies always come
         from another repo), so reading the source array while appending is safe */
      if (from && from != repo)
        {
          Offset *fields[] = { &ns->provides, &ns->obsoletes, &ns->conflicts, &ns->requires,
                               &ns->recommends, &ns->suggests, &ns->supplements, &ns->enhances };
          Offset src[] = { s->provides, s->obsoletes, s->conflicts, s->requires,
                           s->recommends, s->suggests, s->supplements, s->enhances };
          int k;
          for (k = 0; k < 8; k++)
            {
              if (!src[k])
                continue;
              for (dp = from->idarraydata + src[k]; *dp; dp++)
                *fields[k] = repo_addid(repo, *fields[k], *dp);
            }
        }
    }
  return first;
}

/*
 * pool_createwhatprovides (pool.c, libsolv 0.7.23) without its last step, pool_shrink_whatprovides(aux):
 * that step sorts every provider list to share identical ones, which saves memory and costs ~70 % of
 * the index on CS9 (a qsort over ~100k lists), paid once per node transaction (NodeSystem). Every
 * list and every lookup is the same without it; libsolv compares provider lists by content wherever it
 * compares them (unifyrules, addpkgruleinfo), never by offset. The string and relation hashes are
 * kept, as in createwhatprovides_keephashes.
 */
static void createwhatprovides_unshared(Pool *pool)
{
  int i, num, np, extra;
  Offset off;
  Solvable *s;
  Id id;
  Offset *idp, n;
  Offset *whatprovides;
  Id *whatprovidesdata, *dp, *whatprovidesauxdata;
  Offset *whatprovidesaux;

  pool_freewhatprovides(pool);
  num = pool->ss.nstrings;
  pool->whatprovides = whatprovides = solv_calloc_block(num, sizeof(Offset), 1023 /* WHATPROVIDES_BLOCK */);
  pool->whatprovides_rel = solv_calloc_block(pool->nrels, sizeof(Offset), 1023);

  /* count providers for each name */
  for (i = pool->nsolvables - 1; i > 0; i--)
    {
      Id *pp;
      s = pool->solvables + i;
      if (!s->provides || !s->repo || s->repo->disabled)
        continue;
      if (!pool_installable_whatprovides(pool, s))
        continue;
      pp = s->repo->idarraydata + s->provides;
      while ((id = *pp++) != 0)
        {
          while (ISRELDEP(id))
            {
              Reldep *rd = GETRELDEP(pool, id);
              id = rd->name;
            }
          whatprovides[id]++;
        }
    }

  off = 4;	/* first entry is undef, second is empty list, third is system solvable  */
  np = 0;
  for (i = 0, idp = whatprovides; i < num; i++, idp++)
    {
      n = *idp;
      if (!n)
        {
          *idp = 1;
          continue;
        }
      off += n;
      *idp = off++;
      np++;
    }

  extra = 2 * pool->nrels;
  if (extra < 256)
    extra = 256;

  whatprovidesdata = solv_calloc(off + extra, sizeof(Id));
  whatprovidesdata[2] = SYSTEMSOLVABLE;

  whatprovidesauxdata = 0;
  if (!pool->nowhatprovidesaux)
    {
      pool->whatprovidesaux = whatprovidesaux = solv_calloc(num, sizeof(Offset));
      pool->whatprovidesauxoff = num;
      pool->whatprovidesauxdataoff = off;
      pool->whatprovidesauxdata = whatprovidesauxdata = solv_calloc(pool->whatprovidesauxdataoff, sizeof(Id));
    }

  for (i = pool->nsolvables - 1; i > 0; i--)
    {
      Id *pp;
      s = pool->solvables + i;
      if (!s->provides || !s->repo || s->repo->disabled)
        continue;
      if (!pool_installable_whatprovides(pool, s))
        continue;
      pp = s->repo->idarraydata + s->provides;
      while ((id = *pp++) != 0)
        {
          Id auxid = id;
          while (ISRELDEP(id))
            {
              Reldep *rd = GETRELDEP(pool, id);
              id = rd->name;
            }
          dp = whatprovidesdata + whatprovides[id];
          if (*dp != i)		/* don't add same solvable twice */
            {
              dp[-1] = i;
              whatprovides[id]--;
            }
          else
            auxid = 1;
          if (whatprovidesauxdata)
            whatprovidesauxdata[whatprovides[id]] = auxid;
        }
    }
  if (pool->whatprovidesaux)
    memcpy(pool->whatprovidesaux, pool->whatprovides, num * sizeof(Id));
  pool->whatprovidesdata = whatprovidesdata;
  pool->whatprovidesdataoff = off;
  pool->whatprovidesdataleft = extra;

  queue_empty(&pool->lazywhatprovidesq);
  if ((!pool->addedfileprovides && pool->disttype == DISTTYPE_RPM) || pool->addedfileprovides == 1)
    {
      for (i = 1; i < num; i++)
        {
          const char *str = pool->ss.stringspace + pool->ss.strings[i];
          if (str[0] != '/')
            continue;
          if (pool->addedfileprovides == 1 && repodata_filelistfilter_matches(0, str))
            continue;
          if (pool->whatprovides[i] > 1)
            queue_push2(&pool->lazywhatprovidesq, i, pool->whatprovides[i]);
          pool->whatprovides[i] = 0;
          if (pool->whatprovidesaux)
            pool->whatprovidesaux[i] = 0;
        }
    }
}

/* Rebuilds whatprovides after repos were added or removed, without searching file lists again. */
EMSCRIPTEN_KEEPALIVE void rp_pool_refresh(Pool *pool)
{
  int i;
  Repo *repo;
  FOR_REPOS(i, repo)
    repo_internalize(repo);
  createwhatprovides_unshared(pool);
}

/* selection_make as job pairs: lines `how what` (the selection flags in how, no job action). */
EMSCRIPTEN_KEEPALIVE int rp_selection(Pool *pool, const char *str, int flags)
{
  Queue sel;
  int i, n;
  queue_init(&sel);
  selection_make(pool, &sel, str, flags);
  out_len = 0;
  for (i = 0; i + 1 < sel.count; i += 2)
    {
      out_int(sel.elements[i]); out_tab();
      out_int(sel.elements[i + 1]); out_nl();
    }
  n = sel.count / 2;
  queue_free(&sel);
  return n;
}

/*
 * Which candidates require which targets: for every requirement (pre-requires included) of every
 * candidate, each target among its providers gives a line `candidate target dependency`.
 */
EMSCRIPTEN_KEEPALIVE int rp_requirers(Pool *pool, const Id *targets, int ntargets, const Id *cands, int ncands)
{
  Map t;
  Queue q;
  int i, j, n = 0;
  map_init(&t, pool->nsolvables);
  for (i = 0; i < ntargets; i++)
    if (targets[i] > 0 && targets[i] < pool->nsolvables)
      MAPSET(&t, targets[i]);
  queue_init(&q);
  out_len = 0;
  for (i = 0; i < ncands; i++)
    {
      Solvable *s;
      if (cands[i] <= 1 || cands[i] >= pool->nsolvables)
        continue;
      s = pool->solvables + cands[i];
      queue_empty(&q);
      solvable_lookup_deparray(s, SOLVABLE_REQUIRES, &q, -1);
      for (j = 0; j < q.count; j++)
        {
          Id p, pp, dep = q.elements[j];
          if (dep == SOLVABLE_PREREQMARKER)
            continue;
          FOR_PROVIDES(p, pp, dep)
            if (MAPTST(&t, p))
              {
                out_int(cands[i]); out_tab();
                out_int(p); out_tab();
                out_val(pool_dep2str(pool, dep)); out_nl();
                n++;
              }
        }
    }
  queue_free(&q);
  map_free(&t);
  return n;
}

/*
 * The advisories (updateinfo "patch:" solvables) of the solvable range [start, end):
 *   A <solvable> <id> <type> <severity> <status> <issued> <title>
 *   R <type> <id> <title>                      one per reference (bugzilla, cve, ...)
 *   K <name> <evr> <arch>                       one per package of its collections
 */
EMSCRIPTEN_KEEPALIVE int rp_advisories(Pool *pool, int start, int end)
{
  Id p;
  int n = 0;
  out_len = 0;
  for (p = start; p < end && p < pool->nsolvables; p++)
    {
      Solvable *s = pool->solvables + p;
      const char *name;
      Dataiterator di;
      if (!s->repo)
        continue;
      name = pool_id2str(pool, s->name);
      if (strncmp(name, "patch:", 6) != 0)
        continue;
      n++;
      out_str("A\t");
      out_int(p); out_tab();
      out_val(name + 6); out_tab();
      out_val(str_or_empty(solvable_lookup_str(s, SOLVABLE_PATCHCATEGORY))); out_tab();
      out_val(str_or_empty(solvable_lookup_str(s, UPDATE_SEVERITY))); out_tab();
      out_val(str_or_empty(solvable_lookup_str(s, UPDATE_STATUS))); out_tab();
      out_int((long long)solvable_lookup_num(s, SOLVABLE_BUILDTIME, 0)); out_tab();
      out_val(solvable_lookup_str(s, SOLVABLE_SUMMARY));
      out_nl();
      dataiterator_init(&di, pool, s->repo, p, UPDATE_REFERENCE, 0, 0);
      while (dataiterator_step(&di))
        {
          dataiterator_setpos(&di);
          out_str("R\t");
          out_val(str_or_empty(pool_lookup_str(pool, SOLVID_POS, UPDATE_REFERENCE_TYPE))); out_tab();
          out_val(str_or_empty(pool_lookup_str(pool, SOLVID_POS, UPDATE_REFERENCE_ID))); out_tab();
          out_val(pool_lookup_str(pool, SOLVID_POS, UPDATE_REFERENCE_TITLE));
          out_nl();
        }
      dataiterator_free(&di);
      dataiterator_init(&di, pool, s->repo, p, UPDATE_COLLECTION, 0, 0);
      while (dataiterator_step(&di))
        {
          Id cn, ce, ca;
          dataiterator_setpos(&di);
          cn = pool_lookup_id(pool, SOLVID_POS, UPDATE_COLLECTION_NAME);
          ce = pool_lookup_id(pool, SOLVID_POS, UPDATE_COLLECTION_EVR);
          ca = pool_lookup_id(pool, SOLVID_POS, UPDATE_COLLECTION_ARCH);
          out_str("K\t");
          out_val(cn ? pool_id2str(pool, cn) : ""); out_tab();
          out_val(ce ? pool_id2str(pool, ce) : ""); out_tab();
          out_val(ca ? pool_id2str(pool, ca) : ""); out_nl();
        }
      dataiterator_free(&di);
    }
  return n;
}

/* ---- testcases ----------------------------------------------------------------------------------- */

/*
 * Runs a libsolv testcase file the way tools/testsolv.c does without options: reads each job, solves,
 * and compares the result with the expected block. Returns 0 (pass), 1 (fail) or 77 (needs a feature
 * that is not compiled in). The differences are written to the transfer buffer.
 */
EMSCRIPTEN_KEEPALIVE int rp_testcase_run(const char *path)
{
  Pool *pool = pool_create();
  Solver *solv, *reusesolv = 0;
  FILE *fp;
  int ex = 0, multijob = 0;

  out_len = 0;
  pool_setdebugmask(pool, pool->debugmask | SOLV_ERROR);
  fp = fopen(path, "r");
  if (!fp)
    {
      pool_free(pool);
      out_str("cannot open testcase");
      return 1;
    }
  while (!feof(fp))
    {
      Queue job;
      char *result = 0;
      int resultflags = 0;
      queue_init(&job);
      solv = testcase_read(pool, fp, path, &job, &result, &resultflags);
      if (!solv)
        {
          out_str(pool_errstr(pool));
          if (pool->considered)
            {
              map_free(pool->considered);
              pool->considered = solv_free(pool->considered);
            }
          pool_free(pool);
          queue_free(&job);
          fclose(fp);
          return resultflags == 77 ? 77 : 1;
        }
      if (reusesolv)
        {
          solver_free(solv);
          solv = reusesolv;
          reusesolv = 0;
        }
      if (!multijob && !feof(fp))
        multijob = 1;
      if (multijob)
        multijob++;
      if (result)
        {
          char *myresult, *resultdiff;
          solver_solve(solv, &job);
          if ((resultflags & ~TESTCASE_RESULT_REUSE_SOLVER) == 0)
            resultflags |= TESTCASE_RESULT_TRANSACTION | TESTCASE_RESULT_PROBLEMS;
          myresult = testcase_solverresult(solv, resultflags);
          resultdiff = testcase_resultdiff(result, myresult);
          if (resultdiff)
            {
              out_str("Results differ:\n");
              out_str(resultdiff);
              ex = 1;
              solv_free(resultdiff);
            }
          solv_free(result);
          solv_free(myresult);
        }
      else
        solver_solve(solv, &job);
      queue_free(&job);
      if ((resultflags & TESTCASE_RESULT_REUSE_SOLVER) != 0 && !feof(fp))
        reusesolv = solv;
      else
        solver_free(solv);
    }
  if (reusesolv)
    solver_free(reusesolv);
  if (pool->considered)
    {
      map_free(pool->considered);
      pool->considered = solv_free(pool->considered);
    }
  pool_free(pool);
  fclose(fp);
  return ex;
}

/* Test hook: 1 aborts the module, 2 exhausts wasm memory through libsolv's allocator (solv_oom). */
EMSCRIPTEN_KEEPALIVE int rp_debug_trap(int kind)
{
  if (kind == 1)
    abort();
  if (kind == 2)
    {
      void *p = solv_malloc((size_t)0xF0000000u);
      return p != 0;
    }
  return 0;
}

/*
 * Direct closure check of a view (pool->considered must be set): for each given solvable, every
 * requirement (and pre-requirement) that is a plain or versioned dependency with no provider in the
 * view, as lines `id <tab> dep`. Rich (boolean) dependencies are left to the solver, which alone
 * evaluates them correctly. Linear, no SAT solving: most unmet requirements never reach the solver.
 */
EMSCRIPTEN_KEEPALIVE int rp_unmet_requires(Pool *pool, const Id *ids, int n)
{
  int i, count = 0;
  out_len = 0;
  for (i = 0; i < n; i++)
    {
      Solvable *s = pool_id2solvable(pool, ids[i]);
      Id req, *reqp;
      if (!s->repo || !s->requires)
        continue;
      for (reqp = s->repo->idarraydata + s->requires; (req = *reqp) != 0; reqp++)
        {
          if (!is_plain_requirement(pool, req) || provided_outside(pool, req, 0))
            continue;
          out_int(ids[i]);
          out_tab();
          out_val(pool_dep2str(pool, req));
          out_nl();
          count++;
        }
    }
  return count;
}

/* A rich (boolean) or namespace dependency: only the solver evaluates those. */
static int is_rich(Pool *pool, Id dep)
{
  return ISRELDEP(dep) && GETRELDEP(pool, dep)->flags >= 8 && GETRELDEP(pool, dep)->flags != REL_ARCH;
}

/*
 * A dependency the rules do not take as a provider list: a namespace or another special relation. Plain,
 * versioned, arch, `with`, `without` and non-complex `or` dependencies are provider lists
 * (pool_addrelproviders), the complex ones are decided by dep_true_in.
 */
static int is_special(Pool *pool, Id dep)
{
  int f;
  if (!ISRELDEP(dep))
    return 0;
  f = GETRELDEP(pool, dep)->flags;
  return f >= 8 && f != REL_ARCH && f != REL_WITH && f != REL_WITHOUT && f != REL_OR;
}

/*
 * The truth of a dependency when exactly the packages of map m are installed: 1 true, 0 false, -1 when
 * not decided here. Rich dependencies follow libsolv's own reading (cplxdeps.c normalize_dep, as in
 * solver_dep_fulfilled_cplx): `A if B` is A or not B, `A unless B` is A and not B, with their `else`
 * forms; any other dependency is met by one of its providers (the system solvable always is), as the
 * rules libsolv builds from pool_whatprovides are. Namespaces and other special relations: -1.
 */
static int dep_true_in(Pool *pool, const Map *m, Id dep, int depth)
{
  Id p, pp;
  if (depth > 64)
    return -1;
  if (pool_is_complex_dep(pool, dep))
    {
      Reldep *rd = GETRELDEP(pool, dep);
      int a, b, c;
      if ((rd->flags == REL_COND || rd->flags == REL_UNLESS) && ISRELDEP(rd->evr) &&
          GETRELDEP(pool, rd->evr)->flags == REL_ELSE)
        {
          Reldep *rd2 = GETRELDEP(pool, rd->evr);
          a = dep_true_in(pool, m, rd->name, depth + 1);
          b = dep_true_in(pool, m, rd2->name, depth + 1);
          c = dep_true_in(pool, m, rd2->evr, depth + 1);
          if (a < 0 || b < 0 || c < 0)
            return -1;
          /* A if B else C; A unless B else C */
          return rd->flags == REL_COND ? (b ? a : c) : (b ? c : a);
        }
      a = dep_true_in(pool, m, rd->name, depth + 1);
      b = dep_true_in(pool, m, rd->evr, depth + 1);
      if (a < 0 || b < 0)
        return -1;
      switch (rd->flags)
        {
        case REL_AND: return a && b;
        case REL_OR: return a || b;
        case REL_COND: return a || !b;
        case REL_UNLESS: return a && !b;
        default: return -1;
        }
    }
  if (is_special(pool, dep))
    return -1;
  FOR_PROVIDES(p, pp, dep)
    if (p == SYSTEMSOLVABLE || MAPTST(m, p))
      return 1;
  return 0;
}

/* The answer of rp_view_installs_trivially, with what stopped it as `<nevra>\t<dependency>`. */
static int blocker(Pool *pool, Id p, Id dep, int check)
{
  out_str(pool_solvid2str(pool, p));
  out_tab();
  out_str(dep ? pool_dep2str(pool, dep) : "");
  out_nl();
  return check;
}

/*
 * Whether solving "install every package of the view" (ids, which must be exactly pool->considered) is
 * certain to succeed, decided without the solver: 0 when it is, else the number of the first check that
 * could not prove it (the caller then solves). With every package of the view forced in by its job and
 * every other package not considered, the only candidate solution is the view itself, so the solve
 * succeeds exactly when that assignment breaks none of the rules libsolv would make. Each check below is
 * at least as strict as the rules it stands for:
 *   1 a package that is not installable (arch, not considered): its job fails
 *   2 a complex requirement not met, a complex conflict met, or one not decided here (dep_true_in);
 *     a rich obsoletes, a namespace or another special dependency (is_special)
 *   3 a requirement with no provider in the view (nor the package itself, nor the system solvable)
 *   4 a conflict provided by another package of the view or the system solvable (by the package
 *     itself only where the pool forbids self-conflicts)
 *   5 an obsoletes matching another package of the view (by name, or by provide where the pool says so)
 *   6 another package of the view has the same name (implicit obsoletes; or provides it, where the
 *     pool's implicit obsoletes use provides)
 *   7 a package of the pool has the same name and a better arch (an infarch rule could exclude it)
 *   8 a pseudo package (pattern:, product:, ...): libsolv links those to others
 *   9 no considered map, or an installed system (its update and keep rules are not modelled here)
 * No job other than the installs is assumed (the family check's solve).
 */
EMSCRIPTEN_KEEPALIVE int rp_view_installs_trivially(Pool *pool, const Id *ids, int nids)
{
  const Map *m = pool->considered;
  int i;
  out_len = 0;
  if (!m || pool->installed)
    return 9;
  for (i = 0; i < nids; i++)
    {
      Id n = ids[i], dep = 0, *depp, p, pp;
      Solvable *s = pool->solvables + n;
      unsigned int score;
      if (!in_view(pool, n))
        return blocker(pool, n, 0, 1);
      if (strchr(pool_id2str(pool, s->name), ':'))
        return blocker(pool, n, dep, 8);
      if (s->requires)
        for (depp = s->repo->idarraydata + s->requires; (dep = *depp) != 0; depp++)
          {
            int met = 0;
            if (dep == SOLVABLE_PREREQMARKER)
              continue;
            if (pool_is_complex_dep(pool, dep))
              {
                if (dep_true_in(pool, m, dep, 0) != 1)
                  return blocker(pool, n, dep, 2);
                continue;
              }
            if (is_special(pool, dep))
              return blocker(pool, n, dep, 2);
            FOR_PROVIDES(p, pp, dep)
              if (p == n || p == SYSTEMSOLVABLE || MAPTST(m, p))
                {
                  met = 1;
                  break;
                }
            if (!met)
              return blocker(pool, n, dep, 3);
          }
      if (s->conflicts)
        for (depp = s->repo->idarraydata + s->conflicts; (dep = *depp) != 0; depp++)
          {
            if (pool_is_complex_dep(pool, dep))
              {
                if (dep_true_in(pool, m, dep, 0) != 0)
                  return blocker(pool, n, dep, 2);
                continue;
              }
            if (is_special(pool, dep))
              return blocker(pool, n, dep, 2);
            FOR_PROVIDES(p, pp, dep)
              {
                if (p == n && !pool_get_flag(pool, POOL_FLAG_FORBIDSELFCONFLICTS))
                  continue;	/* rpm lets a package conflict with what it provides itself */
                if (p == n || p == SYSTEMSOLVABLE || MAPTST(m, p))
                  return blocker(pool, n, dep, 4);
              }
          }
      if (s->obsoletes)
        for (depp = s->repo->idarraydata + s->obsoletes; (dep = *depp) != 0; depp++)
          {
            if (is_rich(pool, dep))
              return blocker(pool, n, dep, 2);
            FOR_PROVIDES(p, pp, dep)
              {
                if (p == n || (p != SYSTEMSOLVABLE && !MAPTST(m, p)))
                  continue;
                /* rpm obsoletes name packages, not provides (unless the pool says otherwise) */
                if (p != SYSTEMSOLVABLE && !pool_get_flag(pool, POOL_FLAG_OBSOLETEUSESPROVIDES) &&
                    !pool_match_nevr(pool, pool->solvables + p, dep))
                  continue;
                return blocker(pool, n, dep, 5);
              }
          }
      score = pool_arch2score(pool, s->arch);
      dep = s->name;
      FOR_PROVIDES(p, pp, s->name)
        {
          Solvable *ps = pool->solvables + p;
          unsigned int a;
          if (p == n)
            continue;
          if (MAPTST(m, p) && (ps->name == s->name || pool_get_flag(pool, POOL_FLAG_IMPLICITOBSOLETEUSESPROVIDES)))
            return blocker(pool, n, dep, 6);
          if (ps->name != s->name)
            continue;
          a = pool_arch2score(pool, ps->arch);
          if (score > 1 && a > 1 && a < score)
            return blocker(pool, n, dep, 7);
        }
    }
  return 0;
}

/*
 * Every conflicting pair of a view (pool->considered must be set; ids are its packages), found without
 * solving: rule info lines (out_rule_info) for each plain Conflicts of a package of the view that another
 * package of the view provides (self-conflicts are allowed, as rpm does), and each Obsoletes that names
 * another package of the view (rpm matches obsoletes against names), with libsolv's rule type and words.
 * The solver finds these too, but only among packages it tries to install together: a package that
 * cannot be installed for another reason (an unmet requirement) is left out of that solve, and its
 * conflicts would go unreported. Rich conflicts are left to the solver.
 */
EMSCRIPTEN_KEEPALIVE int rp_view_conflicts(Pool *pool, const Id *ids, int nids)
{
  Solver *solv = solver_create(pool);	/* only for solver_problemruleinfo2str */
  int i, count = 0;
  out_len = 0;
  for (i = 0; i < nids; i++)
    {
      Id n = ids[i];
      Solvable *s = pool->solvables + n;
      Id dep, *depp, p, pp;
      if (!in_view(pool, n))
        continue;
      if (s->conflicts)
        for (depp = s->repo->idarraydata + s->conflicts; (dep = *depp) != 0; depp++)
          {
            if (ISRELDEP(dep) && GETRELDEP(pool, dep)->flags >= 8 && GETRELDEP(pool, dep)->flags != REL_ARCH)
              continue;	/* rich (boolean) or namespace: the solver's */
            FOR_PROVIDES(p, pp, dep)
              if (p != n && p != SYSTEMSOLVABLE && in_view(pool, p))
                {
                  out_rule_info(solv, SOLVER_RULE_PKG_CONFLICTS, n, p, dep);
                  count++;
                }
          }
      if (s->obsoletes)
        for (depp = s->repo->idarraydata + s->obsoletes; (dep = *depp) != 0; depp++)
          FOR_PROVIDES(p, pp, dep)
            {
              Solvable *ps = pool->solvables + p;
              if (p == n || p == SYSTEMSOLVABLE || !in_view(pool, p))
                continue;
              if (!pool_get_flag(pool, POOL_FLAG_OBSOLETEUSESPROVIDES) && !pool_match_nevr(pool, ps, dep))
                continue;
              if (pool_get_flag(pool, POOL_FLAG_OBSOLETEUSESCOLORS) && !pool_colormatch(pool, s, ps))
                continue;
              out_rule_info(solv, SOLVER_RULE_PKG_OBSOLETES, n, p, dep);
              count++;
            }
    }
  solver_free(solv);
  return count;
}

/*
 * The directory entries of an rpm-md filelists.xml or primary.xml (`<file type="dir">PATH</file>`), one
 * per line. libsolv's reader keeps the paths but drops their type; file-conflict checks need it, since
 * two packages may own one directory. A plain scan of the decompressed stream (no second XML parse).
 */
EMSCRIPTEN_KEEPALIVE int rp_dir_entries(const char *path)
{
  static const char tag[] = "<file type=\"dir\">";
  char buf[65536 + 4096];
  size_t keep = 0, got;
  int n = 0;
  FILE *fp = solv_xfopen(path, "r");
  out_len = 0;
  if (!fp)
    return -1;
  while ((got = fread(buf + keep, 1, 65536, fp)) > 0)
    {
      size_t len = keep + got, i = 0, last = 0;
      char *p;
      buf[len] = 0;
      while ((p = strstr(buf + i, tag)) != 0)
        {
          char *s = p + sizeof(tag) - 1;
          char *e = strstr(s, "</file>");
          if (!e)
            break;
          out_valn(s, e - s);
          out_nl();
          n++;
          i = (e - buf) + 7;
          last = i;
        }
      /* keep an unfinished tail (a tag cut by the chunk boundary) for the next round */
      if (last < len)
        {
          size_t tail = len - last;
          if (tail > 4096)
            {
              last = len - 4096;
              tail = 4096;
            }
          memmove(buf, buf + last, tail);
          keep = tail;
        }
      else
        keep = 0;
    }
  if (ferror(fp))
    n = -2;
  fclose(fp);
  return n;
}
