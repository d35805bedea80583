# e2b-operator — the two commands that matter: `make run` and `make test`.
MVN      ?= mvn -B -ntp
JAR      := target/e2b-operator.jar
JAVA     ?= java
EXAMPLES ?= examples
LOCAL_CLOCK ?=
CLOCK_SPEED ?= 1
METRICS_PORT ?= 8080

.PHONY: build test test-java test-python crds deploy-manifests run run-cluster bench soak clean

build: $(JAR)

# Maven's normal output (the first build downloads dependencies and compiles for a minute or two); the jar
# needs no test classes.
$(JAR): pom.xml $(shell find src/main -type f 2>/dev/null)
	@echo "building $(JAR) (the first build takes a minute or two)"
	$(MVN) -Dmaven.test.skip=true package

## Unit, integration and end-to-end tests (Python strategy tests first, then the Maven suite).
test: test-python test-java

test-python:
	python3 -m unittest discover -s src/test/python -p 'test_*.py' -v

test-java:
	$(MVN) verify

## Regenerate the CRDs from the Java API types and copy them into crds/ and the Helm chart.
crds:
	$(MVN) -q test -Dtest=CrdDriftTest -Dcrds.update=true -Dsurefire.failIfNoSpecifiedTests=false
	mkdir -p helm/e2b-operator/crds deploy/crds
	cp crds/*-v1.yml helm/e2b-operator/crds/
	cp crds/*-v1.yml deploy/crds/

## Regenerate deploy/ (plain manifests) from the Helm chart.
deploy-manifests:
	$(MVN) -q test -Dtest=DeployManifestsTest -Ddeploy.update=true -Dsurefire.failIfNoSpecifiedTests=false
	@ls -1 crds

## The operator in local mode: a local Kubernetes API (kube-apiserver + etcd when their binaries are there, else
## in-memory), local sandbox runtime, examples applied.
## Variables: EXAMPLES, LOCAL_CLOCK, CLOCK_SPEED, METRICS_PORT (and LOCAL_WIDE=1 for the wide screen, LOCAL_API,
## KUBE_API_TEST_DIR, LOCAL_API_FETCH_TIMEOUT for the API; see --help).
run: $(JAR)
	$(JAVA) -jar $(JAR) --local --examples $(EXAMPLES) $(if $(LOCAL_CLOCK),--clock $(LOCAL_CLOCK)) \
	  --clock-speed $(CLOCK_SPEED) --metrics-port $(METRICS_PORT)

## The operator against the cluster of the current kubeconfig and the real E2B API (needs E2B_API_KEY).
run-cluster: $(JAR)
	$(JAVA) -jar $(JAR) --cluster

bench:
	$(MVN) -DskipTests=false -Dsurefire.failIfNoSpecifiedTests=false -DexcludedTestGroups= -DtestGroups=bench test
	@cat target/bench/results.txt

soak:
	$(MVN) -DskipTests=false -Dsurefire.failIfNoSpecifiedTests=false -DexcludedTestGroups= -DtestGroups=soak test
	@cat target/soak/results.json

clean:
	$(MVN) -q clean
