// bench/lib — tiny shared helpers for benchmark scripts (plain Node ES modules, no build step).
//   measure.mjs  measure(cmd, args, {runs}) → median wall/CPU + peak RSS via /usr/bin/time -f '%e %M %U %S'
//   table.mjs    markdownTable(headers, rows, {align})
//   native.mjs   ensureNative(), nativeTool(name), nativeSrc(), haveNative()
//   repomd.mjs   repomdData(repoDir), primaryPath(repoDir)
export * from './measure.mjs';
export * from './native.mjs';
export * from './repomd.mjs';
export * from './table.mjs';
