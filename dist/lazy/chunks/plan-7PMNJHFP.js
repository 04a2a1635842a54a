import {
  DEFAULT_NGINX_CONF,
  planFrom
} from "./chunk-65YFTMTJ.js";
import "./chunk-HCRHB4A5.js";
import "./chunk-SEWDMQ6Q.js";
export {
  DEFAULT_NGINX_CONF,
  planFrom
};
