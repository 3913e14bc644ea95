import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);
import{a as o}from"../chunks/chunk-46C7YJOB.mjs";import{a as m}from"../chunks/chunk-VBC344IX.mjs";import"../chunks/chunk-WANY3CKS.mjs";await o("promote",m);
