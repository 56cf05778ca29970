// npm's `prepare` hook: build dist/ when TypeScript is installed. `npm ci --omit=dev` (a Raspberry
// Pi installing only what runs) has no TypeScript: skip the build instead of failing the install;
// dist/ then comes from a packed tarball (`npm pack` on a dev machine) or an earlier build.
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';

try {
  createRequire(import.meta.url).resolve('typescript');
} catch {
  console.warn('zoomsync: TypeScript is not installed (dev dependencies omitted); not building dist/. See README "Install on a Raspberry Pi".');
  process.exit(0);
}
execSync('npm run build', { stdio: 'inherit' });
