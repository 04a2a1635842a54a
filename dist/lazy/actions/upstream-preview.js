import {
  upstreamPreview
} from "../chunks/chunk-SODXNREM.js";
import "../chunks/chunk-6AR7F7KA.js";
import "../chunks/chunk-LW4MLOGN.js";
import "../chunks/chunk-TXA5QDCK.js";
import "../chunks/chunk-47L3NVGC.js";
import "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  upstreamPreview
};
