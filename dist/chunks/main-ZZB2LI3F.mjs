import{a}from"./chunk-NL7MDBVI.mjs";import"./chunk-NCR45TBP.mjs";import"./chunk-B7U2AUM2.mjs";import"./chunk-N4MUHJP4.mjs";import"./chunk-Z2WBWELM.mjs";import"./chunk-YGEJNC2A.mjs";export{a as main};
