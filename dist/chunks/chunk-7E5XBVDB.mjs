var e=["number","integer","string","boolean","datetime"],t=8192;export{e as a,t as b};
