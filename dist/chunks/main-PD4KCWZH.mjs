import{a}from"./chunk-5UGIW4HJ.mjs";import"./chunk-OOR3SS2T.mjs";import"./chunk-F4JZ4ARB.mjs";import"./chunk-B7U2AUM2.mjs";import"./chunk-Z2WBWELM.mjs";import"./chunk-YGEJNC2A.mjs";export{a as main};
