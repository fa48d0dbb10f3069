import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{a,b}from"./chunk-HRCQZO5J.mjs";import"./chunk-ULX7TJL5.mjs";import"./chunk-S5UHLG3J.mjs";import"./chunk-W67T2DN6.mjs";import"./chunk-FMUB5JIE.mjs";import"./chunk-NELRIRRU.mjs";import"./chunk-I4VKGM2V.mjs";import"./chunk-5C36VDMG.mjs";import"./chunk-OM52EXSN.mjs";import"./chunk-ORC3VW2F.mjs";export{a as changesFoundExitCode,b as previewCommand};
