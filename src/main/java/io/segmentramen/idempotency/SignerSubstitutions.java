package io.segmentramen.idempotency;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import software.amazon.awssdk.checksums.SdkChecksum;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;

/**
 * Native image only: the SDK signer's checksum support reaches, through methods the function never
 * calls (flexible checksums for chunked uploads), classes of the optional AWS CRT library, which is not
 * on the class path; Quarkus links every reachable type at build time, so those methods are replaced
 * by ones that refuse. DynamoDB requests are signed with SHA-256 payload hashes and never touch them.
 * (Found by following the calls from {@code AwsV4HttpSigner.sign}; the build fails if one is missed.)
 */
final class SignerSubstitutions {

    private static final String NO_CRT = "the AWS CRT library is not part of this function";

    private SignerSubstitutions() {
    }

    @TargetClass(className = "software.amazon.awssdk.checksums.internal.ChecksumProvider")
    static final class TargetChecksumProvider {

        @Substitute
        static SdkChecksum createCrtCrc32C() {
            throw new UnsupportedOperationException(NO_CRT);
        }

        @Substitute
        static SdkChecksum crc64NvmeCrtImplementation() {
            throw new UnsupportedOperationException(NO_CRT);
        }

        @Substitute
        static SdkChecksum crtXxHash(ChecksumAlgorithm algorithm) {
            throw new UnsupportedOperationException(NO_CRT);
        }
    }
}
