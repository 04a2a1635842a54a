import {
  upstreamPreview
} from "../chunks/chunk-6GUFWIRI.js";
import "../chunks/chunk-5VOKBRAG.js";
import "../chunks/chunk-PSZOYJUR.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-H5JJLJ3Z.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  upstreamPreview
};
