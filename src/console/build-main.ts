/** `npm run build`'s console step: node dist/src/console/build-main.js [OUT_DIR]. */
import { resolve } from 'node:path';
import { buildConsole } from './build.js';

const { dir, bytes } = await buildConsole(process.argv[2] ? resolve(process.argv[2]) : undefined);
console.log(`console: ${dir} (console.js ${(bytes / 1024).toFixed(1)} KiB)`);
