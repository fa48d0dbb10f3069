import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{b as a,c as b}from"./chunk-NAGEG37P.mjs";import"./chunk-I3IEBBFA.mjs";import"./chunk-7MP474OH.mjs";import"./chunk-MBABAB5F.mjs";import"./chunk-J24ZRFO7.mjs";import"./chunk-R64N63B7.mjs";import"./chunk-ORC3VW2F.mjs";export{b as buildCommand,a as inputsTag};
