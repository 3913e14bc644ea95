import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a}from"./chunk-FG3346QW.mjs";import"./chunk-C662Z5OD.mjs";import"./chunk-OKJ2HEGU.mjs";import"./chunk-NWNWV4BV.mjs";import"./chunk-TAG4JZL6.mjs";import"./chunk-AI5SJ3N7.mjs";import"./chunk-QYURDD3U.mjs";import"./chunk-YGEJNC2A.mjs";export{a as main};
