// Emscripten 3.1.6 (Debian 12) emits CommonJS idioms (require, __dirname) even for EXPORT_ES6 output on
// Node; give them to it so the module loads as a real ES module.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
const require = createRequire(import.meta.url);
const __dirname = dirname(fileURLToPath(import.meta.url));
