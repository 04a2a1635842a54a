import {
  upstreamPreview
} from "../chunks/chunk-6RMUTBAY.js";
import "../chunks/chunk-2J2NEVQY.js";
import "../chunks/chunk-BF2RMSMW.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-CNIHXAAR.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  upstreamPreview
};
