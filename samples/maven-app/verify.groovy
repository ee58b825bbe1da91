// Run by maven-invoker-plugin after both builds of this project (see invoker.properties).
def log = new File(basedir, 'build.log').text
assert log.contains('tcc: regenerated 1 of 1 .graph file(s)') : "the first build did not generate mlp.graph"
assert log.contains('Tests run: 1, Failures: 0, Errors: 0') : "MlpGraphTest did not pass"
assert log.contains('tcc: nothing to regenerate, 1 .graph file(s) up to date') : "the second build regenerated something"
assert new File(basedir, 'target/generated-sources/tcc/dev/tcc/samples/app/MlpGraph.java').isFile()
assert new File(basedir, 'target/generated-resources/tcc/dev/tcc/samples/app/mlp/train.json').isFile()
assert new File(basedir, 'target/generated-resources/tcc/dev/tcc/samples/app/mlp/train.cu').isFile()
