import {
  notifyRun
} from "../chunks/chunk-IVJAZNWL.js";
import "../chunks/chunk-5DAKGEXJ.js";
import "../chunks/chunk-C6LFNWKB.js";
import "../chunks/chunk-VA52T2SJ.js";
import "../chunks/chunk-Q7OLK7WB.js";
import "../chunks/chunk-4SK5LWOK.js";
import "../chunks/chunk-5V6H6OVK.js";
import "../chunks/chunk-BOC5NVEP.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-WNIEMWDA.js";
import "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  notifyRun
};
