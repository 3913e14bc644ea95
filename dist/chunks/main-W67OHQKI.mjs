import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a}from"./chunk-LN7ARETJ.mjs";import"./chunk-6Q4QBIWY.mjs";import"./chunk-KZDIF6EA.mjs";import"./chunk-DQZERLNV.mjs";import"./chunk-GX6XYULP.mjs";import"./chunk-37VEODCL.mjs";import"./chunk-3UYVU6C2.mjs";import"./chunk-YGEJNC2A.mjs";export{a as main};
