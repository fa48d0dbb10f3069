import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{a,b}from"./chunk-XZFV3JU5.mjs";import"./chunk-KPOAK3C2.mjs";import"./chunk-S5UHLG3J.mjs";import"./chunk-XWSQJCIR.mjs";import"./chunk-F477CFVW.mjs";import"./chunk-MBABAB5F.mjs";import"./chunk-EKYNJRT7.mjs";import"./chunk-ECRCXTBS.mjs";import"./chunk-R64N63B7.mjs";import"./chunk-ORC3VW2F.mjs";export{a as changesFoundExitCode,b as previewCommand};
