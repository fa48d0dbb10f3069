import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{c}from"./chunk-OM52EXSN.mjs";import{e as i}from"./chunk-ORC3VW2F.mjs";var r=i(c()),a=!1;async function s(e){if(!process.env.GITHUB_STEP_SUMMARY){a||r.warning("GITHUB_STEP_SUMMARY is not set (not running in a GitHub Actions job?): the job summary is skipped"),a=!0;return}await r.summary.addRaw(e).write()}function p(e){return e.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/[\\`*_[\]()|~#!$]/g,n=>`\\${n}`).replace(/@/g,"&#64;").replace(/\r?\n/g," ")}function l(e){let n=Math.max(2,...[...e.matchAll(/`+/g)].map(o=>o[0].length)),t="`".repeat(n+1);return`${t}text
${e}
${t}`}export{s as a,p as b,l as c};
