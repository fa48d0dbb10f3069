import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{a,b}from"./chunk-P5KQJSGD.mjs";import"./chunk-ZEB2SRED.mjs";import"./chunk-S5UHLG3J.mjs";import"./chunk-W67T2DN6.mjs";import"./chunk-GUEDKL27.mjs";import"./chunk-F477CFVW.mjs";import"./chunk-4TWJCP4A.mjs";import"./chunk-Q5JOAFER.mjs";import"./chunk-QEACYT54.mjs";import"./chunk-ORC3VW2F.mjs";export{a as changesFoundExitCode,b as previewCommand};
