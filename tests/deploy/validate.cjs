// Validates Kubernetes objects against the Kubernetes and Prometheus Operator JSON schemas,
// offline (npm kubernetes-models, @kubernetes-models/prometheus-operator). Reads a JSON array of
// objects on stdin; prints one line per invalid object and exits 1 if there is any, 2 for a kind
// it has no schema for.
const models = {
  "v1": require("kubernetes-models/v1"),
  "apps/v1": require("kubernetes-models/apps/v1"),
  "policy/v1": require("kubernetes-models/policy/v1"),
  "networking.k8s.io/v1": require("kubernetes-models/networking.k8s.io/v1"),
  "monitoring.coreos.com/v1": require("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1"),
};

const objects = JSON.parse(require("fs").readFileSync(0, "utf8"));
let failed = 0;
for (const o of objects) {
  const name = `${o.apiVersion} ${o.kind} ${o.metadata && o.metadata.name}`;
  const Model = (models[o.apiVersion] || {})[o.kind];
  if (!Model) {
    console.log(`${name}: no schema`);
    process.exit(2);
  }
  try {
    new Model(o).validate();
    console.log(`${name}: valid`);
  } catch (e) {
    console.log(`${name}: ${e.message}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
