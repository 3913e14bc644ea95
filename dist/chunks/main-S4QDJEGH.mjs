import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a}from"./chunk-YUOQTWGV.mjs";import"./chunk-QPNNI4RT.mjs";import"./chunk-NWHV4SAK.mjs";import"./chunk-GX6XYULP.mjs";import"./chunk-37VEODCL.mjs";import"./chunk-3UYVU6C2.mjs";import"./chunk-YGEJNC2A.mjs";export{a as main};
