# Shared by infra/dist/{native,jvm}/Makefile (sam build). ROOT is the repository: sam build must run
# in source (samconfig.toml: build_in_source = true), or SEGMENT_RAMEN_ROOT must name it.
ROOT := $(or $(SEGMENT_RAMEN_ROOT),$(abspath $(CURDIR)/../../..))
ifeq ($(wildcard $(ROOT)/mvnw),)
$(error sam build must run in source (sam build --build-in-source; samconfig.toml sets it) or with SEGMENT_RAMEN_ROOT=<repository>)
endif
VARIANT := $(or $(FUNCTION_VARIANT),$(shell sed -n 's/^parameter_overrides.*FunctionVariant=\([a-z]*\).*/\1/p' "$(ROOT)/samconfig.toml" | head -1),native)
ARCHITECTURE := $(shell sed -n 's/^parameter_overrides.*Architecture=\([a-z0-9_]*\).*/\1/p' "$(ROOT)/samconfig.toml" | head -1)
