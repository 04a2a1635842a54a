import {
  DEFAULT_NGINX_CONF,
  planFrom
} from "./chunk-X43AC3OH.js";
import "./chunk-O2HJWNJA.js";
import "./chunk-SEWDMQ6Q.js";
export {
  DEFAULT_NGINX_CONF,
  planFrom
};
