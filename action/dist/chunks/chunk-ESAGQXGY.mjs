import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
function c(e){return e.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/[\\`*_[\]()|~#!$]/g,n=>`\\${n}`).replace(/@/g,"&#64;").replace(/\r?\n/g," ")}function a(e){let n=Math.max(2,...[...e.matchAll(/`+/g)].map(t=>t[0].length)),r="`".repeat(n+1);return`${r}text
${e}
${r}`}export{c as a,a as b};
