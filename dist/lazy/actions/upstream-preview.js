import {
  upstreamPreview
} from "../chunks/chunk-D4DYHYTW.js";
import "../chunks/chunk-NO3PKMBD.js";
import "../chunks/chunk-FAX57M2F.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-TSVKQNYQ.js";
import "../chunks/chunk-H5JJLJ3Z.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import "../chunks/chunk-ZZX7I4WI.js";
import "../chunks/chunk-5V6H6OVK.js";
import "../chunks/chunk-BOC5NVEP.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-WNIEMWDA.js";
import "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  upstreamPreview
};
