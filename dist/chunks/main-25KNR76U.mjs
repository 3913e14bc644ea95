import{a}from"./chunk-OYROVHXA.mjs";import"./chunk-WYOJQHUK.mjs";import"./chunk-A3UOSHHY.mjs";import"./chunk-B7U2AUM2.mjs";import"./chunk-Z2WBWELM.mjs";import"./chunk-YGEJNC2A.mjs";export{a as main};
