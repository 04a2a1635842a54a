import {
  DEFAULT_INCIDENT_LABEL,
  githubChecks,
  githubPlan,
  incidentLabel
} from "../chunks/chunk-2PPUHR5A.js";
import "../chunks/chunk-KF7AZP5G.js";
import "../chunks/chunk-S6RIGKJZ.js";
import "../chunks/chunk-Q7OLK7WB.js";
import "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  DEFAULT_INCIDENT_LABEL,
  githubChecks,
  githubPlan,
  incidentLabel
};
