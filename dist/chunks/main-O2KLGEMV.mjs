import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a}from"./chunk-LM2P4I5W.mjs";import"./chunk-B323KK6Y.mjs";import"./chunk-NWHV4SAK.mjs";import"./chunk-GVLXJFMK.mjs";import"./chunk-R7UCRMGY.mjs";import"./chunk-3UYVU6C2.mjs";import"./chunk-YGEJNC2A.mjs";export{a as main};
