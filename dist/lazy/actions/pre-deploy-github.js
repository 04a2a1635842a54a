import {
  DEFAULT_INCIDENT_LABEL,
  githubChecks,
  githubPlan,
  incidentLabel
} from "../chunks/chunk-SIWVRWAF.js";
import "../chunks/chunk-KF7AZP5G.js";
import "../chunks/chunk-4ZS2QMJE.js";
import "../chunks/chunk-Q7OLK7WB.js";
import "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";
export {
  DEFAULT_INCIDENT_LABEL,
  githubChecks,
  githubPlan,
  incidentLabel
};
