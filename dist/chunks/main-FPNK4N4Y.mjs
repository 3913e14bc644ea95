import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a}from"./chunk-YJMJVIQ5.mjs";import"./chunk-N6KZHIXI.mjs";import"./chunk-FVZOBJ4Z.mjs";import"./chunk-GVLXJFMK.mjs";import"./chunk-R7UCRMGY.mjs";import"./chunk-3UYVU6C2.mjs";import"./chunk-YGEJNC2A.mjs";export{a as main};
