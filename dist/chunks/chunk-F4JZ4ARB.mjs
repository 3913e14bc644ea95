var e=["oip","mlflow","json"],r=["readiness","metadata","version","answers","parity","agreement","latency","edge-cases"];export{e as a,r as b};
