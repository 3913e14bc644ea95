import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a}from"./chunk-FDETOEXE.mjs";import"./chunk-QYURDD3U.mjs";import"./chunk-YGEJNC2A.mjs";export{a as runAction};
