import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a}from"./chunk-QXET4AJ6.mjs";import"./chunk-3UYVU6C2.mjs";import"./chunk-YGEJNC2A.mjs";export{a as runAction};
