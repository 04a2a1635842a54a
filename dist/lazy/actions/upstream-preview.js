import {
  upstreamPreview
} from "../chunks/chunk-56P5X2I7.js";
import "../chunks/chunk-YVCHIQKE.js";
import "../chunks/chunk-NW64SD34.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-CNIHXAAR.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  upstreamPreview
};
