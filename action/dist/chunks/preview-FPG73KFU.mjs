import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{a,b}from"./chunk-PZNN2UHE.mjs";import"./chunk-5YFL2HH6.mjs";import"./chunk-NA7XRFBX.mjs";import"./chunk-ESAGQXGY.mjs";import"./chunk-F477CFVW.mjs";import"./chunk-MBABAB5F.mjs";import"./chunk-DTW7AKMR.mjs";import"./chunk-ECRCXTBS.mjs";import"./chunk-R64N63B7.mjs";import"./chunk-ORC3VW2F.mjs";export{a as changesFoundExitCode,b as previewCommand};
