import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a}from"./chunk-NXDUQLVZ.mjs";import"./chunk-CV6Q3X37.mjs";import"./chunk-NWHV4SAK.mjs";import"./chunk-GVLXJFMK.mjs";import"./chunk-37VEODCL.mjs";import"./chunk-3UYVU6C2.mjs";import"./chunk-YGEJNC2A.mjs";export{a as main};
