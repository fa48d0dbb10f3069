import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import{createHash as f}from"node:crypto";import{readdirSync as m,readFileSync as s}from"node:fs";import{join as n,relative as u}from"node:path";var d=new Set([".git","node_modules"]);function k(r,e){let t=f("sha256"),o=n(r,e.context);for(let i of a(o))t.update(`file\0${u(o,i)}\0`).update(s(i));t.update(`dockerfile\0${e.dockerfile}\0`).update(s(n(o,e.dockerfile)));for(let[i,c]of Object.entries(e.buildArgs).sort(([l],[p])=>l.localeCompare(p)))t.update(`arg\0${i}\0${c}\0`);return t.digest("hex").slice(0,40)}function a(r){return m(r,{withFileTypes:!0}).filter(e=>!d.has(e.name)).sort((e,t)=>e.name.localeCompare(t.name)).flatMap(e=>{let t=n(r,e.name);return e.isDirectory()?a(t):e.isFile()?[t]:[]})}export{k as a};
