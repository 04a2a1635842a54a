import {
  runSmokeTest,
  viaTargets,
  viaTransport
} from "../chunks/chunk-UQK5X5BV.js";
import "../chunks/chunk-YJJ7GEU5.js";
import "../chunks/chunk-POU7XZB2.js";
import "../chunks/chunk-C6LFNWKB.js";
import "../chunks/chunk-7YJCGVCN.js";
import "../chunks/chunk-U2CKN5SY.js";
import "../chunks/chunk-NDZR3XTD.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-IILPN5PE.js";
import "../chunks/chunk-PDEXDIYD.js";
import "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  runSmokeTest,
  viaTargets,
  viaTransport
};
