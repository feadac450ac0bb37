# Shared by the bin/ scripts: build a module (and what it needs) when its sources are newer than
# its last build, and print its runtime classpath.

# ensure_built MODULE: `mvn package` for MODULE and its dependencies, tests skipped, if needed.
ensure_built() {
  local module=$1 stamp="$1/target/.kdr-built"
  if [[ -f $stamp ]] && [[ -z $(find pom.xml ./*/pom.xml ./*/src -newer "$stamp" -print -quit 2>/dev/null) ]]; then
    return
  fi
  echo "building $module (the first run downloads Kafka and the plugins from Maven Central)..." >&2
  mvn -q -B -Dstyle.color=never -pl "$module" -am package -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true >&2
  touch "$stamp"
}

# module_classpath MODULE: its classes, the sandbox's classes, and their runtime dependencies.
module_classpath() {
  local module=$1 cp="sandbox/target/classes:$(cat sandbox/target/classes/dev/kafkadr/sandbox/child.classpath)"
  if [[ $module != sandbox ]]; then
    cp="$module/target/classes:$cp:$(cat "$module/target/run.classpath")"
  fi
  printf '%s' "$cp"
}
