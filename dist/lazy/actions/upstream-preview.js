import {
  upstreamPreview
} from "../chunks/chunk-KDBWHBZ7.js";
import "../chunks/chunk-ZYB7ES54.js";
import "../chunks/chunk-BNF4ALUY.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-LW4MLOGN.js";
import "../chunks/chunk-KAQYLHIX.js";
import "../chunks/chunk-47L3NVGC.js";
import "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  upstreamPreview
};
