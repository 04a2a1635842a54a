import {
  runSmokeTest,
  viaTargets,
  viaTransport
} from "../chunks/chunk-M4CRBEBV.js";
import "../chunks/chunk-TKHLF5PM.js";
import "../chunks/chunk-EJRZIOAP.js";
import "../chunks/chunk-3VOSUCEG.js";
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
