import {
  runSmokeTest,
  viaTargets,
  viaTransport
} from "../chunks/chunk-MVAYC4A4.js";
import "../chunks/chunk-BALJXFAB.js";
import "../chunks/chunk-EJRZIOAP.js";
import "../chunks/chunk-POU7XZB2.js";
import "../chunks/chunk-C6LFNWKB.js";
import "../chunks/chunk-DJOGEIUA.js";
import "../chunks/chunk-7DXSFZAX.js";
import "../chunks/chunk-PRVHMAC4.js";
import "../chunks/chunk-NDZR3XTD.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-KEUEEG4T.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-PDEXDIYD.js";
import "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  runSmokeTest,
  viaTargets,
  viaTransport
};
