// The build failed, and the message names the .graph file, the line and the column of the bad dot.
def log = new File(basedir, 'build.log').text
assert log.contains('model.graph:[4,') : "no model.graph:[4,col] location in the build log"
assert log.contains('not aligned') : "no shape message in the build log"
