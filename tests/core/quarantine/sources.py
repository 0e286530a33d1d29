"""Test files written the way real projects write them: a Go package with a testify
suite, a pytest module with classes and parametrize, Jest and Vitest specs, JUnit 4 and 5
classes, Kotlin, Rust, RSpec and minitest."""

from __future__ import annotations

ISSUE = "https://github.com/tikv/pd/issues/8812"

GO_SCHEDULER = """\
// Copyright 2024 TiKV Project Authors.
//
// Licensed under the Apache License, Version 2.0 (the "License");

package schedulers

import (
\t"context"
\t"testing"
\t"time"

\t"github.com/stretchr/testify/require"
\t"github.com/stretchr/testify/suite"
)

type balanceLeaderSchedulerTestSuite struct {
\tsuite.Suite
\tcancel context.CancelFunc
}

func TestBalanceLeaderSchedulerTestSuite(t *testing.T) {
\tsuite.Run(t, new(balanceLeaderSchedulerTestSuite))
}

func (suite *balanceLeaderSchedulerTestSuite) SetupTest() {
\tsuite.cancel = func() {}
}

func (suite *balanceLeaderSchedulerTestSuite) TestLeaderWeight() {
\tre := suite.Require()
\tre.True(true)
}

func TestShouldBalance(t *testing.T) {
\tt.Parallel()
\tre := require.New(t)
\tctx, cancel := context.WithTimeout(context.Background(), time.Second)
\tdefer cancel()
\ttestCases := []struct {
\t\tname string
\t}{
\t\t{name: "skip-small-region"},
\t}
\tfor _, tc := range testCases {
\t\tt.Run(tc.name, func(t *testing.T) {
\t\t\tre.NotNil(ctx)
\t\t})
\t}
}

func TestEmpty(t *testing.T) {
}
"""

PYTEST_MODULE = '''\
"""Tests for the region cache."""

from __future__ import annotations

import asyncio
from collections.abc import (
    Iterator,
    Sequence,
)

from cache import RegionCache


@pytest.fixture
def cache() -> Iterator[RegionCache]:
    yield RegionCache(capacity=8)


def test_eviction_order(cache: RegionCache) -> None:
    cache.put(1, "a")
    assert cache.get(1) == "a"


@pytest.mark.parametrize(
    "size",
    [1, 2, 64],
)
async def test_concurrent_put(cache: RegionCache, size: int) -> None:
    await asyncio.sleep(0)


class TestExpiry:
    def test_eviction_order(self) -> None:
        pass

    @pytest.mark.timeout(5)
    def test_ttl(self, cache: RegionCache) -> None:
        assert cache.ttl > 0

    class TestNested:
        def test_ttl(self) -> None:
            pass
'''

UNITTEST_MODULE = """\
import os
import unittest


class DownloadTests(unittest.TestCase):
    def setUp(self):
        self.root = os.getcwd()

    def test_resume(self):
        self.assertTrue(self.root)
"""

JEST_SPEC = """\
import { render, screen } from '@testing-library/react';
import { Toolbar } from '../Toolbar';

describe('Toolbar', () => {
  it('renders the save button', () => {
    render(<Toolbar />);
    expect(screen.getByText('Save')).toBeInTheDocument();
  });

  describe('when offline', () => {
    it('renders the save button', async () => {
      render(<Toolbar offline />);
      expect(await screen.findByText("Save")).toBeDisabled();
    });

    test.only("shows a banner", () => {
      expect(true).toBe(true);
    });
  });
});
"""

VITEST_SPEC = """\
import { describe, expect, test } from 'vitest'
import { retry } from '../src/retry'

describe('retry', () => {
  test.concurrent('gives up after three attempts', async () => {
    await expect(retry(() => Promise.reject(new Error('x')), 3)).rejects.toThrow('x')
  })
})
"""

JUNIT5_CLASS = """\
package org.example.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentCompactorTest {

    @Test
    void compactsAdjacentSegments() {
        assertEquals(2, 1 + 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {
        1,
        2
    })
    public void retriesOnTimeout(int attempts) throws Exception {
        Thread.sleep(Duration.ofMillis(attempts).toMillis());
    }
}
"""

JUNIT4_CLASS = """\
package org.example.http;

import org.junit.Before;
import org.junit.Test;

import static org.junit.Assert.assertTrue;

public class ConnectionPoolTest {
    @Before
    public void setUp() {
    }

    @Test(timeout = 2000)
    public void releasesIdleConnections() throws Exception {
        assertTrue(true);
    }
}
"""

KOTLIN_CLASS = """\
package org.example.sync

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test

class SyncWorkerTest {
    @Test
    fun `uploads pending changes`() = runBlocking {
    }

    @Test
    fun retriesAfterNetworkLoss() {
    }
}
"""

RUST_MODULE = """\
use std::time::Duration;

pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(10 * u64::from(attempt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows() {
        assert!(backoff(2) > backoff(1));
    }

    #[tokio::test(flavor = "multi_thread")]
    #[cfg_attr(miri, ignore)]
    async fn reconnects_under_load() {
        tokio::time::sleep(backoff(1)).await;
    }

    fn reconnects_helper() {}
}
"""

RSPEC_SPEC = """\
# frozen_string_literal: true

require 'rails_helper'

RSpec.describe Invoice, type: :model do
  describe '#total' do
    it 'sums the line items' do
      expect(build(:invoice).total).to eq(0)
    end

    it "rounds to cents", :aggregate_failures do |example|
      expect(1.005.round(2)).to eq(1.01)
    end

    it('is memoized') { expect(true).to be(true) }
  end
end
"""

MINITEST_FILE = """\
require "test_helper"

class CheckoutFlowTest < ActionDispatch::IntegrationTest
  def setup
    @user = users(:alice)
  end

  def test_applies_coupon
    post checkout_path, params: { coupon: "SAVE10" }
    assert_response :success
  end
end
"""
