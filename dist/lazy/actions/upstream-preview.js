import {
  upstreamPreview
} from "../chunks/chunk-LUOQ6ZKI.js";
import "../chunks/chunk-HYRWSJ7E.js";
import "../chunks/chunk-Z7TVORRY.js";
import "../chunks/chunk-4YFRNVAS.js";
import "../chunks/chunk-CNIHXAAR.js";
import "../chunks/chunk-CSTC25GN.js";
import "../chunks/chunk-62JVSY2V.js";
import "../chunks/chunk-HCRHB4A5.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  upstreamPreview
};
