import {
  postPlanComment,
  reportIncident
} from "../chunks/chunk-OJDE2VAN.js";
import "../chunks/chunk-5BJCLG46.js";
import "../chunks/chunk-KF7AZP5G.js";
import "../chunks/chunk-RPP53YNZ.js";
import "../chunks/chunk-VQFM3CCE.js";
import "../chunks/chunk-5F4MXN4T.js";
import "../chunks/chunk-U7XPOYSJ.js";
import "../chunks/chunk-FDIJ72KF.js";
import "../chunks/chunk-ZZX7I4WI.js";
import "../chunks/chunk-2EYAEJCG.js";
import "../chunks/chunk-Q7OLK7WB.js";
import "../chunks/chunk-4SK5LWOK.js";
import "../chunks/chunk-5V6H6OVK.js";
import "../chunks/chunk-BOC5NVEP.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-WNIEMWDA.js";
import "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  postPlanComment,
  reportIncident
};
