// Copies the web console's stylesheet and script next to the compiled console (dist/src/console/static),
// since tsc compiles only TypeScript. Run by `npm run build`.
import { cpSync } from 'node:fs';

cpSync('src/console/static', 'dist/src/console/static', { recursive: true });
