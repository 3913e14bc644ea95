import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a}from"./chunk-DWNUJ6KT.mjs";import"./chunk-C662Z5OD.mjs";import"./chunk-OKJ2HEGU.mjs";import"./chunk-NWNWV4BV.mjs";import"./chunk-Y6CVAVGR.mjs";import"./chunk-BFMLYNT6.mjs";import"./chunk-QYURDD3U.mjs";import"./chunk-YGEJNC2A.mjs";export{a as main};
