import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a as r}from"./chunk-YGEJNC2A.mjs";import{parentPort as o,workerData as e}from"node:worker_threads";var n="mlopsValidateDataProfileWorker";function a(){return o!==null&&e?.[n]===!0}r(a,"isProfileWorker");export{n as a,a as b};
