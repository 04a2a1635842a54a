import {
  runSmokeTest,
  viaTargets,
  viaTransport
} from "./chunk-YGHAZVKZ.js";
import "./chunk-GCOK36RJ.js";
import "./chunk-ROFD7WL6.js";
import "./chunk-3GCQTJQZ.js";
import "./chunk-EZ2VCDH3.js";
import "./chunk-C6LFNWKB.js";
import "./chunk-EEFGFWLT.js";
import "./chunk-VA52T2SJ.js";
import "./chunk-IILPN5PE.js";
import "./chunk-NSFOPU7S.js";
import "./chunk-SEWDMQ6Q.js";
export {
  runSmokeTest,
  viaTargets,
  viaTransport
};
