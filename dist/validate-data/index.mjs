import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a}from"../chunks/chunk-46C7YJOB.mjs";import{a as i}from"../chunks/chunk-YSEW2ZGU.mjs";import"../chunks/chunk-WANY3CKS.mjs";await a("validate-data",i);
