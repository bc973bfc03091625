#pragma once
/// \file typegrad.hpp
/// Everything typegrad offers: the static layer, the dynamic layer, and tg::fuse between them.
#include <typegrad/dynamic.hpp>
#include <typegrad/fuse/fuse.hpp>
#include <typegrad/static.hpp>
